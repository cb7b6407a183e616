package dev.verdict.coordinator.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.coordinator.core.Retention;
import dev.verdict.coordinator.core.TransactionIds;
import dev.verdict.coordinator.core.TransactionState;
import dev.verdict.coordinator.metrics.VerdictMetrics;
import dev.verdict.coordinator.model.StoredTransaction;
import dev.verdict.coordinator.port.LogSearch;
import dev.verdict.protocol.Outcome;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The operators' search of the log, as keyset pages on the primary key: ids begin with their
 * creation time, so "newest first" is a backward walk of the key from the cursor. Each filter is
 * shaped so an index serves it (V7): a search by state is one branch per state, the rare states
 * walking {@code transaction_log_rare_state} and COMMITTED the key; a time bound on the decision
 * also bounds the id (a transaction is decided after it is minted, give or take the clock
 * margin), so the walk starts near the first match instead of at the newest row.
 */
public final class JdbcSearch implements LogSearch {

    /** Every state a log row can be in: the log never holds an undecided transaction. */
    static final Set<TransactionState> LOGGED = EnumSet.of(TransactionState.COMMITTING, TransactionState.ROLLING_BACK,
            TransactionState.COMMITTED, TransactionState.ROLLED_BACK, TransactionState.HEURISTIC);
    /** Must read exactly as in the index's expression, or the planner cannot use it. */
    static final String PARTICIPANTS = "jsonb_path_query_array(branches, '$[*].participant')";

    private final Jdbc jdbc;
    private final LogRows rows;

    public JdbcSearch(DataSource dataSource, ObjectMapper json, VerdictMetrics metrics) {
        this.jdbc = new Jdbc(dataSource, metrics);
        this.rows = new LogRows(new BranchesColumn(json));
    }

    @Override
    public List<StoredTransaction> search(Filter filter) {
        Query q = query(filter);
        if (q == null) {
            return List.of();
        }
        return jdbc.query(q.sql(), q::bind, r -> rows.read(r).tx());
    }

    /** The statement and its parameters; null when no log row can match. Package-private for the plan tests. */
    static Query query(Filter f) {
        Set<TransactionState> states = EnumSet.noneOf(TransactionState.class);
        for (TransactionState s : f.states()) {
            if (LOGGED.contains(s) && fitsInDoubt(s, f.inDoubt()) && fitsOutcome(s, f.outcome())) {
                states.add(s);
            }
        }
        if (states.isEmpty()) {
            return null;
        }
        List<String> byState = new ArrayList<>();
        if (states.equals(LOGGED) && f.inDoubt() == null && f.outcome() == null) {
            byState.add("true");
        } else {
            states.forEach(s -> byState.add("state = '" + s.name() + "'" + acknowledged(s, f.inDoubt())));
        }
        // Finished rows by transaction_log_decided, unfinished ones by transaction_log_unfinished.
        List<String> byEnd = f.decidedAfter() == null ? List.of("true")
                : List.of("completed_at is not null", "completed_at is null");
        String direction = f.newestFirst() ? " desc" : "";
        List<Object> params = new ArrayList<>();
        List<String> branches = new ArrayList<>();
        for (String state : byState) {
            for (String end : byEnd) {
                branches.add("select " + LogRows.READ_COLUMNS + " from transaction_log where " + state + " and " + end
                        + " and " + common(f, params) + " order by id" + direction + " limit ?");
                params.add(f.limit());
            }
        }
        if (branches.size() == 1) {
            return new Query(branches.get(0), params);
        }
        String sql = "select * from ((" + String.join(") union all (", branches) + ")) t order by id" + direction + " limit ?";
        params.add(f.limit());
        return new Query(sql, params);
    }

    /** A decision of rollback is only ever in these states, and of commit in the others. */
    private static boolean fitsOutcome(TransactionState s, Outcome outcome) {
        if (outcome == null || s == TransactionState.HEURISTIC) {
            return true;
        }
        boolean rolledBack = s == TransactionState.ROLLING_BACK || s == TransactionState.ROLLED_BACK;
        return rolledBack == (outcome == Outcome.ROLLED_BACK);
    }

    /** A heuristic row is in doubt until an operator acknowledges it; unfinished rows always are. */
    private static boolean fitsInDoubt(TransactionState s, Boolean inDoubt) {
        if (inDoubt == null || s == TransactionState.HEURISTIC) {
            return true;
        }
        boolean unfinished = s == TransactionState.COMMITTING || s == TransactionState.ROLLING_BACK;
        return unfinished == inDoubt;
    }

    private static String acknowledged(TransactionState s, Boolean inDoubt) {
        if (s != TransactionState.HEURISTIC || inDoubt == null) {
            return "";
        }
        return inDoubt ? " and acknowledged_at is null" : " and acknowledged_at is not null";
    }

    /** The filters every branch shares, with their parameters appended in order. */
    private static String common(Filter f, List<Object> params) {
        List<String> where = new ArrayList<>();
        where.add("true");
        if (f.participant() != null) {
            where.add(PARTICIPANTS + " @> jsonb_build_array(?::text)");
            params.add(f.participant());
        }
        if (f.outcome() != null) {
            where.add("decision = ?");
            params.add(f.outcome().name());
        }
        if (f.decidedUpTo() != null) {
            where.add("decided_at <= ?");
            params.add(f.decidedUpTo().atOffset(ZoneOffset.UTC));
        }
        if (f.decidedBefore() != null) {
            where.add("decided_at < ?");
            params.add(f.decidedBefore().atOffset(ZoneOffset.UTC));
        }
        if (f.decidedAfter() != null) {
            where.add("decided_at > ?");
            params.add(f.decidedAfter().atOffset(ZoneOffset.UTC));
        }
        Instant latest = earliest(f.decidedUpTo(), f.decidedBefore());
        if (latest != null) {
            // Minted no later than decided, plus the clock margin: the key walk starts there.
            where.add("id < ?");
            params.add(TransactionIds.timePrefix(latest.plus(Retention.CLOCK_MARGIN).plusMillis(1)));
        }
        if (f.after() != null) {
            where.add(f.newestFirst() ? "id < ?" : "id > ?");
            params.add(f.after());
        }
        return String.join(" and ", where);
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }

    record Query(String sql, List<Object> params) {
        void bind(PreparedStatement s) throws SQLException {
            for (int i = 0; i < params.size(); i++) {
                s.setObject(i + 1, params.get(i));
            }
        }
    }
}
