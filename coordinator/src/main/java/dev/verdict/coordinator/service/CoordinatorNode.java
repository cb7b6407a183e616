package dev.verdict.coordinator.service;

import dev.verdict.coordinator.metrics.VerdictMetrics;
import dev.verdict.coordinator.port.LogSearch;
import dev.verdict.coordinator.port.Nodes;
import dev.verdict.coordinator.port.ParticipantClient;
import dev.verdict.coordinator.port.ParticipantStore;
import dev.verdict.coordinator.port.RecoveryScan;
import dev.verdict.coordinator.port.Scheduler;
import dev.verdict.coordinator.port.TransactionLog;
import dev.verdict.coordinator.port.TransactionQueries;
import dev.verdict.coordinator.port.Tracing;
import dev.verdict.coordinator.port.AuditTrail;
import dev.verdict.coordinator.port.HistoryLog;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.random.RandomGenerator;

/**
 * One coordinator node assembled from its ports. Production wiring and the seeded simulation both
 * build it here, so the simulation drives the real service, driver, log writer and recovery, on
 * in-memory twins of the ports.
 */
public final class CoordinatorNode {

    /** How often a draining node looks whether it holds anything still. */
    private static final long DRAIN_POLL_MILLIS = 10;

    /**
     * @param logThread runs the log writer's groups, one at a time: the hot path's only blocking I/O
     * @param recoveryThread runs start-up recovery and the heartbeats, apart from request work, so
     *        that a burst of requests can never make this node miss heartbeats and be declared dead
     * @param blocking runs database reads for requests (answers from the log, registry lookups); a
     *        bounded queue: when full, the request is refused with 503
     * @param random a {@link java.security.SecureRandom} in production: it makes transaction ids
     */
    public record Ports(TransactionLog log, RecoveryScan scan, TransactionQueries queries, Nodes nodes,
                        ParticipantStore participants, ParticipantClient client, Scheduler scheduler,
                        Executor logThread, Executor recoveryThread, Executor blocking, Clock clock,
                        RandomGenerator random, VerdictMetrics metrics, CrashPoints crashPoints,
                        Operators operators) {}

    /**
     * What operators read and write, apart from the protocol's log.
     *
     * @param historyThread stores history batches, apart from the log writer and request threads
     */
    public record Operators(HistoryLog history, AuditTrail audit, Executor historyThread, Duration historyFlush,
                            int historyMaxQueued) {}

    private final ThisNode node;
    private final LogWriter writer;
    private final ParticipantRegistry registry;
    private final TransactionService service;
    private final Recovery recovery;
    private final StatusService status;
    private final NodeDirectory directory;
    private final History history;
    private final OperatorActions operatorActions;
    private final ParticipantBacklog backlog;
    private final LiveTransactions table;
    private final Clock clock;

    /** A node whose log is never pruned (the simulation's): no record always means presumed abort. */
    public CoordinatorNode(String name, Ports ports, DriverSettings settings, CallbackPolicy callbacks) {
        this(name, ports, settings, callbacks, null);
    }

    /** @param retention what the log keeps, which some answers depend on (UNKNOWN); null if it keeps everything */
    public CoordinatorNode(String name, Ports ports, DriverSettings settings, CallbackPolicy callbacks,
                           RetentionSettings retention) {
        this(name, ports, settings, callbacks, retention, Tracing.OFF);
    }

    /** @param tracing spans of the protocol's steps (docs/operations.md, "Traces"); {@link Tracing#OFF} for none */
    public CoordinatorNode(String name, Ports ports, DriverSettings settings, CallbackPolicy callbacks,
                           RetentionSettings retention, Tracing tracing) {
        node = new ThisNode(name, ports.random()::nextLong);
        clock = ports.clock();
        table = new LiveTransactions(settings.maxLive(), settings.maxOpenPerCredential(),
                settings.recentlyFinished());
        writer = new LogWriter(ports.log(), ports.logThread(), ports.scheduler(), node, ports.metrics(), settings);
        registry = new ParticipantRegistry(ports.participants(), participant -> {
            long live = table.countWith(participant);
            return live > 0 ? live : ports.queries().unfinishedWith(participant);
        }, callbacks, ports.clock());
        directory = new NodeDirectory();
        Lease lease = new Lease(ports.scheduler(), settings.nodeTimeout());
        Operators ops = ports.operators();
        history = new History(ops.history(), ops.historyThread(), ports.scheduler(), node, ports.clock(), ports.metrics(),
                ops.historyFlush(), ops.historyMaxQueued());
        DeliveryStats deliveryStats = new DeliveryStats(ports.clock());
        TransactionDriver driver = new TransactionDriver(table, writer,
                new Deliveries(ports.client(), registry, deliveryStats, tracing), ports.scheduler(), ports.clock(), settings,
                ports.crashPoints(), ports.metrics(), history, tracing);
        registry.onResume(driver::retryWaitingOn);
        backlog = new ParticipantBacklog(table, deliveryStats);
        LogAnswers answers = new LogAnswers(ports.queries(), ports.nodes(), writer, node, ports.blocking(), ports.clock(),
                settings.nodeTimeout(), directory, retention);
        service = new TransactionService(table, driver, answers, registry, new UlidIds(node, ports.clock(), ports.random()),
                node, directory, settings, ports.blocking(), lease, tracing);
        recovery = new Recovery(ports.nodes(), ports.scan(), registry, driver, service, directory, node, lease, settings,
                ports.scheduler(), ports.clock(), ports.recoveryThread());
        status = new StatusService(table, ports.queries(), node, settings);
        operatorActions = new OperatorActions(table, driver, service, registry, ops.audit(), history, node, ports.clock());
    }

    public History history() {
        return history;
    }

    public OperatorActions operatorActions() {
        return operatorActions;
    }

    public ParticipantBacklog backlog() {
        return backlog;
    }

    public ThisNode node() {
        return node;
    }

    public TransactionService transactions() {
        return service;
    }

    public ParticipantRegistry participants() {
        return registry;
    }

    public Recovery recovery() {
        return recovery;
    }

    /**
     * Leaves on purpose, as on SIGTERM (docs/operations.md, "Stopping a node"): refuses new
     * transactions and reports not ready at once, goes on driving what it holds (a commit asked
     * for is decided and delivered, a decision waiting for the log is written) until nothing is
     * left or {@code deadline} has passed, writes its waiting completion records, then marks itself
     * gone, so that the others take over what is left at their next heartbeat rather than after
     * the node timeout. Undecided transactions still held then are left to presumed abort.
     * Blocking; returns how many transactions were still unfinished here when it left.
     */
    public int drain(Duration deadline) throws InterruptedException {
        recovery.beginDrain();
        long until = System.nanoTime() + deadline.toNanos();
        while (table.size() > 0 && System.nanoTime() < until) {
            Thread.sleep(DRAIN_POLL_MILLIS);
        }
        writer.flushNow();
        while (!writer.idle() && System.nanoTime() < until) {
            Thread.sleep(DRAIN_POLL_MILLIS);
        }
        int left = table.size();
        recovery.stop();
        return left;
    }

    public StatusService status() {
        return status;
    }

    /** Searches of this node's memory and of the log, through {@code log}. */
    public TransactionSearch search(LogSearch log) {
        return new TransactionSearch(table, log, clock);
    }

    /** The live nodes as of the last heartbeat. */
    public NodeDirectory directory() {
        return directory;
    }

    public LogWriter logWriter() {
        return writer;
    }
}
