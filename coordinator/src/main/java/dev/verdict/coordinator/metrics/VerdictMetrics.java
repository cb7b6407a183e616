package dev.verdict.coordinator.metrics;

import dev.verdict.coordinator.core.TransactionState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionScoped;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a transaction costs, counted where the cost is paid: log records and groups, SQL
 * statements and database transactions, calls to participants, requests forwarded to other nodes.
 * A benchmark or a dashboard divides them by finished transactions. Exposed at {@code /q/metrics};
 * see docs/operations.md.
 */
@ApplicationScoped
public class VerdictMetrics {

    private MeterRegistry registry;
    private Counter forcedRecords;
    private Counter lazyRecords;
    private DistributionSummary groups;
    private Counter statements;
    private Counter databaseTransactions;
    private Counter forwarded;
    private Counter historyWritten;
    private Counter historyDropped;
    private final Map<String, Counter> calls = new ConcurrentHashMap<>();
    private final Map<TransactionState, Counter> finished = new ConcurrentHashMap<>();
    private final Map<String, Counter> refused = new ConcurrentHashMap<>();
    private final Map<String, Counter> pruned = new ConcurrentHashMap<>();

    @Inject
    public VerdictMetrics(MeterRegistry registry) {
        this.registry = registry;
        forcedRecords = records("forced", "Log records made durable before anyone heard of them: commit decisions, fences, heuristics");
        lazyRecords = records("lazy", "Log records written with the next group, nobody waiting: completions");
        groups = DistributionSummary.builder("verdict.log.group.size")
                .description("Records per log group: one database transaction and one flush each").register(registry);
        statements = Counter.builder("verdict.db.statements")
                .description("SQL statements sent to the coordinator's database").register(registry);
        databaseTransactions = Counter.builder("verdict.db.transactions")
                .description("Database transactions run on the coordinator's database").register(registry);
        forwarded = Counter.builder("verdict.forwarded.requests")
                .description("Requests this node forwarded to the node that owns their transaction").register(registry);
        historyWritten = Counter.builder("verdict.history.entries").tag("result", "written")
                .description("Transaction history entries stored (GET /transactions/{id}/history)").register(registry);
        historyDropped = Counter.builder("verdict.history.entries").tag("result", "dropped")
                .description("Transaction history entries lost: the queue was full or the database failed").register(registry);
    }

    protected VerdictMetrics() {
        // for CDI's client proxy
    }

    private Counter records(String durability, String description) {
        return Counter.builder("verdict.log.writes").description(description).tag("durability", durability).register(registry);
    }

    /** One log group flushed: {@code forced} records that someone waited for, {@code lazy} that nobody did. */
    public void logGroup(int forced, int lazy) {
        forcedRecords.increment(forced);
        lazyRecords.increment(lazy);
        groups.record(forced + lazy);
    }

    public void statement() {
        statements.increment();
    }

    /** A database transaction outside JTA (the log's JDBC work counts its own). */
    public void databaseTransaction() {
        databaseTransactions.increment();
    }

    /** One call to a participant, counted when it is sent, whatever its fate. */
    public void participantCall(String action) {
        calls.computeIfAbsent(action, a -> Counter.builder("verdict.participant.calls")
                .description("Calls sent to participants").tag("action", a).register(registry)).increment();
    }

    /** A request refused to protect the node: {@code reason} names the limit (body-timeout, too-many-open, ...). */
    public void refused(String reason) {
        refused.computeIfAbsent(reason, r -> Counter.builder("verdict.requests.refused")
                .description("Requests refused by a limit of the node").tag("reason", r).register(registry)).increment();
    }

    /** History entries stored. */
    public void historyWritten(int entries) {
        historyWritten.increment(entries);
    }

    /** History entries lost: the queue was full, or the store failed. */
    public void historyDropped(int entries) {
        historyDropped.increment(entries);
    }

    /** Rows retention deleted from {@code table} (docs/configuration.md, verdict.retention.*). */
    public void pruned(String table, int rows) {
        pruned.computeIfAbsent(table, t -> Counter.builder("verdict.retention.pruned")
                .description("Rows deleted by retention, by table").tag("table", t).register(registry)).increment(rows);
    }

    public void forwarded() {
        forwarded.increment();
    }

    /** A transaction this node finished (all participants acknowledged, or the outcome was one-phase). */
    public void finished(TransactionState state) {
        finished.computeIfAbsent(state, s -> Counter.builder("verdict.transactions.finished")
                .description("Transactions finished by this node, by final state")
                .tag("state", s.name().toLowerCase(Locale.ROOT)).register(registry)).increment();
    }

    void transactionBegun(@Observes @Initialized(TransactionScoped.class) Object event) {
        databaseTransactions.increment();
    }
}
