package dev.verdict.coordinator.wiring;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.coordinator.config.VerdictConfig;
import dev.verdict.coordinator.core.Retention;
import dev.verdict.coordinator.core.RetryPolicy;
import dev.verdict.coordinator.metrics.VerdictMetrics;
import dev.verdict.coordinator.client.VertxParticipantClient;
import dev.verdict.coordinator.port.AuditTrail;
import dev.verdict.coordinator.port.ParticipantStore;
import dev.verdict.coordinator.port.TransactionQueries;
import dev.verdict.coordinator.port.Tracing;
import dev.verdict.coordinator.service.CallbackPolicy;
import dev.verdict.coordinator.service.CoordinatorNode;
import dev.verdict.coordinator.service.CrashPoints;
import dev.verdict.coordinator.service.DriverSettings;
import dev.verdict.coordinator.service.OperatorActions;
import dev.verdict.coordinator.service.ParticipantBacklog;
import dev.verdict.coordinator.service.ParticipantRegistry;
import dev.verdict.coordinator.service.Pruner;
import dev.verdict.coordinator.service.RetentionSettings;
import dev.verdict.coordinator.service.Recovery;
import dev.verdict.coordinator.service.StatusService;
import dev.verdict.coordinator.service.ThisNode;
import dev.verdict.coordinator.service.TransactionSearch;
import dev.verdict.coordinator.service.TransactionService;
import dev.verdict.coordinator.store.JdbcAuditTrail;
import dev.verdict.coordinator.store.JdbcHistory;
import dev.verdict.coordinator.store.JdbcLogReads;
import dev.verdict.coordinator.store.JdbcNodes;
import dev.verdict.coordinator.store.JdbcRetention;
import dev.verdict.coordinator.store.JdbcSearch;
import dev.verdict.coordinator.store.JdbcTransactionLog;
import dev.verdict.coordinator.tracing.OtelTracing;
import io.opentelemetry.api.OpenTelemetry;
import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.vertx.http.HttpServer;
import io.quarkus.vertx.http.HttpServerStart;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Production wiring: the real adapters (JDBC log, Vert.x participant client, timer thread) plugged
 * into {@link CoordinatorNode}. Recovery starts once the HTTP server listens (Quarkus fires that
 * event asynchronously), when this node's address, its actual port included, is known and can be
 * registered for the others.
 */
@ApplicationScoped
public class Wiring {

    private static final Logger LOG = Logger.getLogger(Wiring.class);

    /** Database reads for requests that may wait for a thread; more are refused with 503. */
    private static final int READ_QUEUE = 1_000;

    @Inject
    VerdictConfig config;

    @ConfigProperty(name = "quarkus.http.host")
    String httpHost;

    @ConfigProperty(name = "quarkus.http.port")
    int httpPort;

    @Inject
    Instance<HttpServer> httpServer;

    /** Off by default (application.properties); the standard switch of quarkus-opentelemetry turns traces on. */
    @ConfigProperty(name = "quarkus.otel.sdk.disabled", defaultValue = "false")
    boolean tracingDisabled;

    @Inject
    Instance<OpenTelemetry> openTelemetry;

    private final TimerScheduler scheduler = new TimerScheduler();
    private final ExecutorService logThread = Executors.newSingleThreadExecutor(daemon("verdict-log-writer"));
    private final ExecutorService recoveryThread = Executors.newSingleThreadExecutor(daemon("verdict-recovery"));
    private final ExecutorService historyThread = Executors.newSingleThreadExecutor(daemon("verdict-history"));
    private final ExecutorService prunerThread = Executors.newSingleThreadExecutor(daemon("verdict-pruner"));
    private Pruner pruner;
    private ExecutorService blocking;
    private final AtomicBoolean started = new AtomicBoolean();
    /** Drained once, on the first of the two shutdown events that reaches it. */
    private final AtomicBoolean drained = new AtomicBoolean();
    private CoordinatorNode coordinator;

    @Produces
    @Singleton
    CoordinatorNode coordinator(@DataSource("log") AgroalDataSource logDataSource, AgroalDataSource dataSource,
                                ObjectMapper json, VerdictMetrics metrics, ParticipantStore participants,
                                VertxParticipantClient client, CallbackPolicy callbacks, Clock clock, AuditTrail audit) {
        int threads = config.driver().threads();
        // Bounded: a flood of reads is refused (503) rather than queued without end.
        blocking = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(READ_QUEUE), daemon("verdict-io"));
        JdbcLogReads reads = new JdbcLogReads(dataSource, json, metrics);
        CoordinatorNode.Ports ports = new CoordinatorNode.Ports(new JdbcTransactionLog(logDataSource, json, metrics),
                reads, reads, new JdbcNodes(dataSource, metrics), participants, client, scheduler, logThread,
                recoveryThread, blocking, clock, new SecureRandom(), metrics, new CrashPoints(config.crashPoint()),
                new CoordinatorNode.Operators(new JdbcHistory(dataSource, json, metrics), audit,
                        historyThread, config.history().flushInterval(),
                        config.history().enabled() ? config.history().maxQueued() : 0));
        OtelTracing otel = tracingDisabled ? null : new OtelTracing(openTelemetry.get());
        coordinator = new CoordinatorNode(nodeName(), ports, settings(), callbacks, retention(),
                otel == null ? Tracing.OFF : otel);
        ThisNode self = coordinator.node();
        client.sentBy(() -> self.name() + "/" + self.incarnation());
        if (otel != null) {
            otel.node(() -> self.name() + "/" + self.incarnation());
            LOG.infof("traces on: spans of every transaction are exported (docs/operations.md, \"Traces\")");
        }
        return coordinator;
    }

    /** One policy for registrations and for every call (the client checks each address it connects to). */
    @Produces
    @Singleton
    CallbackPolicy callbackPolicy() {
        return new CallbackPolicy(config.participant().allowedHosts());
    }

    /** Microseconds, what PostgreSQL keeps (api/Timestamps prints six digits). */
    @Produces
    @Singleton
    Clock clock() {
        return new MicrosClock();
    }

    @Produces
    TransactionService transactions(CoordinatorNode node) {
        return node.transactions();
    }

    @Produces
    ParticipantRegistry participants(CoordinatorNode node) {
        return node.participants();
    }

    @Produces
    Recovery recovery(CoordinatorNode node) {
        return node.recovery();
    }

    @Produces
    StatusService status(CoordinatorNode node) {
        return node.status();
    }

    @Produces
    @Singleton
    AuditTrail auditTrail(AgroalDataSource dataSource, ObjectMapper json, VerdictMetrics metrics) {
        return new JdbcAuditTrail(dataSource, json, metrics);
    }

    @Produces
    OperatorActions operatorActions(CoordinatorNode node) {
        return node.operatorActions();
    }

    @Produces
    ParticipantBacklog backlog(CoordinatorNode node) {
        return node.backlog();
    }

    @Produces
    @Singleton
    TransactionSearch search(CoordinatorNode node, AgroalDataSource dataSource, ObjectMapper json, VerdictMetrics metrics) {
        return node.search(new JdbcSearch(dataSource, json, metrics));
    }

    @Produces
    @Singleton
    Pruner pruner(AgroalDataSource dataSource, VerdictMetrics metrics, Clock clock) {
        pruner = new Pruner(new JdbcRetention(dataSource, metrics), scheduler, prunerThread, clock, retention(), metrics);
        return pruner;
    }

    @Produces
    @Singleton
    TransactionQueries queries(AgroalDataSource dataSource, ObjectMapper json, VerdictMetrics metrics) {
        return new JdbcLogReads(dataSource, json, metrics);
    }

    void listening(@ObservesAsync HttpServerStart event, CoordinatorNode node, Pruner retention) {
        if (started.compareAndSet(false, true)) {
            node.node().address(config.recovery().advertisedUrl().orElseGet(this::defaultAddress));
            node.recovery().start();
            retention.start();
        }
    }

    /**
     * The first step of a stop (SIGTERM), while the HTTP server still serves: Quarkus fires this
     * before it stops taking requests (quarkus.shutdown.delay-enabled), and waits for it. The node
     * drains here, so that commits of the transactions it holds, relays from other nodes and
     * participants' questions are still answered meanwhile.
     */
    void drain(@Observes ShutdownDelayInitiatedEvent event) {
        if (coordinator != null) {
            drain();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (coordinator != null) {
            drain(); // returns at once when the node has drained already
            coordinator.history().stop();
        }
        if (pruner != null) {
            pruner.stop();
        }
        scheduler.stop();
        logThread.shutdownNow();
        prunerThread.shutdownNow();
        recoveryThread.shutdownNow();
        historyThread.shutdownNow();
        if (blocking != null) {
            blocking.shutdownNow();
        }
    }

    /** Finishes what this node holds before it leaves, as long as the drain timeout allows. */
    private void drain() {
        if (!drained.compareAndSet(false, true)) {
            return;
        }
        Duration deadline = config.recovery().drainTimeout();
        long started = System.nanoTime();
        LOG.infof("node %s stopping: new transactions refused; finishing the ones it holds (at most %d ms)",
                coordinator.node().name(), deadline.toMillis());
        try {
            int left = coordinator.drain(deadline);
            long took = (System.nanoTime() - started) / 1_000_000;
            if (left == 0) {
                LOG.infof("node %s left after %d ms, every transaction it held finished", coordinator.node().name(), took);
            } else {
                LOG.warnf("node %s left after %d ms with %d transaction(s) unfinished: the others take over the decided"
                        + " ones now; undecided ones roll back (presumed abort)", coordinator.node().name(), took, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            coordinator.recovery().stop();
        }
    }

    private DriverSettings settings() {
        VerdictConfig.Transactions t = config.transaction();
        VerdictConfig.Recovery r = config.recovery();
        return new DriverSettings(t.defaultTimeout(), t.maxTimeout(), t.outcomeWait(),
                new RetryPolicy(config.retry().initial(), config.retry().max()), t.maxLive(), t.maxOpenPerCredential(), t.rememberFinished(),
                config.log().lazyDelay(), config.log().maxGroup(), r.heartbeatInterval(), r.nodeTimeout(), r.batchSize());
    }

    /** Checked at start: a window shorter than the clock margin would leave no id answerable. */
    private RetentionSettings retention() {
        VerdictConfig.Retention r = config.retention();
        Retention.requireLongerThanMargin(r.finished(), "verdict.retention.finished");
        Retention.requireLongerThanMargin(r.nodes(), "verdict.retention.nodes");
        // An undecided transaction of a dead node must still be answered "rolled back" (and fenced),
        // never UNKNOWN: its id must not reach the UNKNOWN window while it can still be undecided.
        Duration undecidedAtMost = config.transaction().maxTimeout().plus(config.recovery().nodeTimeout());
        if (r.finished().minus(Retention.CLOCK_MARGIN).compareTo(undecidedAtMost) <= 0) {
            throw new IllegalArgumentException("verdict.retention.finished (" + r.finished() + ") must exceed"
                    + " verdict.transaction.max-timeout plus verdict.recovery.node-timeout plus "
                    + Retention.CLOCK_MARGIN.toHours() + "h, so that a transaction that may still be undecided is never"
                    + " answered UNKNOWN");
        }
        if (r.batchSize() < 1 || r.interval().isNegative() || r.interval().isZero()) {
            throw new IllegalArgumentException("verdict.retention.batch-size and verdict.retention.interval must be positive");
        }
        return new RetentionSettings(r.finished(), r.nodes(), r.participants(), r.interval(), r.batchSize());
    }

    private String nodeName() {
        return config.recovery().nodeName().orElseGet(() -> hostName() + ":" + httpPort);
    }

    private String defaultAddress() {
        boolean everywhere = httpHost.equals("0.0.0.0") || httpHost.equals("::") || httpHost.equals("[::]");
        String host = everywhere ? hostName() : httpHost.contains(":") ? "[" + httpHost + "]" : httpHost;
        return "http://" + host + ":" + httpServer.get().getPort();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
