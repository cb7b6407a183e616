package dev.verdict.coordinator.metrics;

import dev.verdict.coordinator.core.TransactionState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionScoped;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

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

    /** Limits whose refusals are counted, registered at start so that a dashboard shows 0 rather than nothing. */
    private static final List<String> LIMITS = List.of("body-timeout", "body-too-large", "too-many-open", "events-subscribers");
    private static final List<String> ACTIONS = List.of("prepare", "commit", "rollback", "commit-one-phase");

    private Timer prepareTimer;
    private Timer decisionTimer;
    private Timer phaseTwoTimer;
    private final AtomicLong undecided = new AtomicLong();
    private final AtomicLong inDoubtHere = new AtomicLong();
    private final AtomicLong heuristicInLog = new AtomicLong();
    private final AtomicLong oldestInDoubtMillis = new AtomicLong();
    private MultiGauge backlog;
    private Counter logFailures;
    private Counter eventOverflows;
    private final Map<String, Counter> alertDeliveries = new ConcurrentHashMap<>();
    private final Map<String, Counter> alertsRaised = new ConcurrentHashMap<>();

    @Inject
    public VerdictMetrics(MeterRegistry registry) {
        this.registry = registry;
        forcedRecords = records("forced", "Log records made durable before anyone heard of them: commit decisions, fences, heuristics");
        lazyRecords = records("lazy", "Log records written with the next group, nobody waiting: completions");
        // Buckets by powers of two up to the largest group (verdict.log.max-group, 500 by default).
        groups = DistributionSummary.builder("verdict.log.group.size")
                .description("Records per log group: one database transaction and one flush each")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512).register(registry);
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
        logFailures = Counter.builder("verdict.log.write.failures")
                .description("Log groups the database refused or did not confirm").register(registry);
        prepareTimer = phaseTimer("prepare");
        decisionTimer = phaseTimer("decision");
        phaseTwoTimer = phaseTimer("phase2");
        LIMITS.forEach(this::refusedCounter);
        ACTIONS.forEach(this::callCounter);
        for (TransactionState s : TransactionState.values()) {
            if (s.isTerminal()) {
                finishedCounter(s);
            }
        }
        Gauge.builder("verdict.transactions.undecided", undecided, AtomicLong::get)
                .description("ACTIVE and PREPARING transactions this node holds").register(registry);
        Gauge.builder("verdict.transactions.in.doubt", inDoubtHere, AtomicLong::get).tag("source", "node")
                .description("Decided transactions this node drives that some participant has not acknowledged").register(registry);
        Gauge.builder("verdict.transactions.in.doubt", heuristicInLog, AtomicLong::get).tag("source", "log")
                .description("Heuristic outcomes on record not yet acknowledged (the whole cluster's: the same on every node)")
                .register(registry);
        Gauge.builder("verdict.transactions.in.doubt.oldest", oldestInDoubtMillis, ms -> ms.get() / 1000.0)
                .baseUnit("seconds").description("Time since the oldest in-doubt transaction this node drives was decided; 0 if none")
                .register(registry);
        backlog = MultiGauge.builder("verdict.participant.backlog")
                .description("Unfinished transactions held by this node that wait on the participant").register(registry);
        eventOverflows = Counter.builder("verdict.events.overflows")
                .description("Event streams ended because their consumer fell behind").register(registry);
        for (String result : List.of("sent", "retried", "failed", "dropped")) {
            alertDeliveryCounter(result);
        }
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
        callCounter(action).increment();
    }

    private Counter callCounter(String action) {
        return calls.computeIfAbsent(action, a -> Counter.builder("verdict.participant.calls")
                .description("Calls sent to participants").tag("action", a).register(registry));
    }

    /** A request refused to protect the node: {@code reason} names the limit (body-timeout, too-many-open, ...). */
    public void refused(String reason) {
        refusedCounter(reason).increment();
    }

    private Counter refusedCounter(String reason) {
        return refused.computeIfAbsent(reason, r -> Counter.builder("verdict.requests.refused")
                .description("Requests refused by a limit of the node").tag("reason", r).register(registry));
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
        finishedCounter(state).increment();
    }

    private Counter finishedCounter(TransactionState state) {
        return finished.computeIfAbsent(state, s -> Counter.builder("verdict.transactions.finished")
                .description("Transactions finished by this node, by final state")
                .tag("state", s.name().toLowerCase(Locale.ROOT)).register(registry));
    }

    private Timer phaseTimer(String phase) {
        return Timer.builder("verdict.phase.duration")
                .description("Time a phase of two-phase commit took: the prepare round, the decision write, phase 2")
                .tag("phase", phase).publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30)).register(registry);
    }

    /** The prepare round of a two-phase commit: prepares sent until every vote is in. */
    public void prepareTook(long nanos) {
        prepareTimer.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A commit decision's forced write: from the last vote until the decision is durable. */
    public void decisionTook(long nanos) {
        decisionTimer.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Phase 2: from the decision until every participant has acknowledged it (or been resolved). */
    public void phaseTwoTook(long nanos) {
        phaseTwoTimer.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A log group failed: the database refused it or did not confirm it. */
    public void logGroupFailed() {
        logFailures.increment();
    }

    /**
     * What this node holds, as of its last check (verdict.alerts.check-interval): undecided and
     * in-doubt transactions, the log's unacknowledged heuristic outcomes, and per participant the
     * unfinished transactions waiting on it (participants with none are left out).
     */
    public void holding(long undecidedHere, long inDoubt, Duration oldestInDoubt, long heuristic, Map<String, Long> waitingOn) {
        undecided.set(undecidedHere);
        inDoubtHere.set(inDoubt);
        oldestInDoubtMillis.set(oldestInDoubt.toMillis());
        heuristicInLog.set(heuristic);
        backlog.register(waitingOn.entrySet().stream()
                .map(e -> MultiGauge.Row.of(Tags.of("participant", e.getKey()), e.getValue())).toList(), true);
    }

    /** Whether this node serves: recovered, and its log writer's last group landed (the readiness check, without its ping). */
    public void serving(BooleanSupplier serving) {
        Gauge.builder("verdict.node.serving", () -> serving.getAsBoolean() ? 1 : 0)
                .description("1 while this node serves (recovered, log writes landing), else 0").register(registry);
    }

    public void eventSubscribers(IntSupplier count) {
        Gauge.builder("verdict.events.subscribers", count::getAsInt)
                .description("Event streams open on this node").register(registry);
    }

    public void eventOverflow() {
        eventOverflows.increment();
    }

    /** An alert webhook delivery: {@code sent}, {@code retried} (an attempt failed), {@code failed} (gave up), {@code dropped} (queue full). */
    public void alertDelivery(String result) {
        alertDeliveryCounter(result).increment();
    }

    private Counter alertDeliveryCounter(String result) {
        return alertDeliveries.computeIfAbsent(result, r -> Counter.builder("verdict.alert.deliveries")
                .description("Alert webhook deliveries, by result").tag("result", r).register(registry));
    }

    public void alertRaised(String alert) {
        alertsRaised.computeIfAbsent(alert, a -> Counter.builder("verdict.alerts.raised")
                .description("Alerts this node raised, by kind").tag("alert", a).register(registry)).increment();
    }

    void transactionBegun(@Observes @Initialized(TransactionScoped.class) Object event) {
        databaseTransactions.increment();
    }
}
