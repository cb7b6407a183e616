package dev.verdict.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The coordinators' own cost counters, read from each one's Prometheus endpoint ({@code /q/metrics})
 * and summed. Differences between two readings, divided by the transactions in between, give costs
 * per transaction.
 */
record CoordinatorCounters(double forcedWrites, double lazyWrites, double statements, double dbTransactions,
                           double participantCalls, double forwardedRequests) {

    static final CoordinatorCounters ZERO = new CoordinatorCounters(0, 0, 0, 0, 0, 0);

    /** The sum over every coordinator listening on {@code ports}. */
    static CoordinatorCounters read(List<Integer> ports) throws IOException {
        CoordinatorCounters sum = ZERO;
        for (int port : ports) {
            sum = sum.plus(read(port));
        }
        return sum;
    }

    static CoordinatorCounters read(int port) throws IOException {
        String text;
        try (InputStream in = Credential.open("http://127.0.0.1:" + port + "/q/metrics")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        double forced = 0, lazy = 0, statements = 0, transactions = 0, calls = 0, forwarded = 0;
        for (String line : text.split("\n")) {
            if (!line.startsWith("verdict_")) {
                continue;
            }
            double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            if (line.startsWith("verdict_log_writes_total")) {
                if (line.contains("durability=\"forced\"")) {
                    forced += value;
                } else {
                    lazy += value;
                }
            } else if (line.startsWith("verdict_db_statements_total")) {
                statements += value;
            } else if (line.startsWith("verdict_db_transactions_total")) {
                transactions += value;
            } else if (line.startsWith("verdict_participant_calls_total")) {
                calls += value;
            } else if (line.startsWith("verdict_forwarded_requests_total")) {
                forwarded += value;
            }
        }
        return new CoordinatorCounters(forced, lazy, statements, transactions, calls, forwarded);
    }

    CoordinatorCounters plus(CoordinatorCounters other) {
        return new CoordinatorCounters(forcedWrites + other.forcedWrites, lazyWrites + other.lazyWrites,
                statements + other.statements, dbTransactions + other.dbTransactions,
                participantCalls + other.participantCalls, forwardedRequests + other.forwardedRequests);
    }

    CoordinatorCounters minus(CoordinatorCounters before) {
        return new CoordinatorCounters(forcedWrites - before.forcedWrites, lazyWrites - before.lazyWrites,
                statements - before.statements, dbTransactions - before.dbTransactions,
                participantCalls - before.participantCalls, forwardedRequests - before.forwardedRequests);
    }

    CoordinatorCounters per(long transactions) {
        double n = Math.max(1, transactions);
        return new CoordinatorCounters(forcedWrites / n, lazyWrites / n, statements / n, dbTransactions / n,
                participantCalls / n, forwardedRequests / n);
    }

    /**
     * Whether the counts that only transactions move are the same in both readings. The database
     * counts are left out: every node's heartbeat moves them, once a second, whatever the load.
     */
    boolean sameTransactionWork(CoordinatorCounters other) {
        return forcedWrites == other.forcedWrites && lazyWrites == other.lazyWrites
                && participantCalls == other.participantCalls && forwardedRequests == other.forwardedRequests;
    }
}
