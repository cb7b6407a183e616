package dev.verdict.coordinator.service;

import dev.verdict.coordinator.config.ThisNode;
import dev.verdict.coordinator.config.VerdictConfig;
import dev.verdict.coordinator.port.Nodes;
import dev.verdict.coordinator.port.RecoveryScan;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Recovery is the normal path run from a different starting point. At start-up this node
 * registers (which marks its own previous start dead) and takes over every transaction whose
 * node is dead, giving each a {@code Recovered} event: undecided ones roll back, decided ones
 * resume phase 2. After that a poller wakes this node's transactions whose due time has passed
 * (timeouts and retries), heartbeats, and takes over from nodes that die later. Readiness stays
 * DOWN until the start-up pass has completed.
 */
@ApplicationScoped
public class Recovery {

    private static final Logger LOG = Logger.getLogger(Recovery.class);

    @Inject
    RecoveryScan scan;

    @Inject
    Nodes nodes;

    @Inject
    ThisNode node;

    @Inject
    TransactionService service;

    @Inject
    InFlight inFlight;

    @Inject
    VerdictConfig config;

    @Inject
    Clock clock;

    @Inject
    Vertx vertx;

    @Inject
    DriverThreads driver;

    private volatile boolean recovered;
    private volatile boolean stopping;
    private long nextHeartbeat; // System.nanoTime(): liveness must not follow wall-clock jumps

    private final AtomicBoolean polling = new AtomicBoolean();
    private long timerId = -1;

    void onStart(@Observes StartupEvent event) {
        driver.execute(this::recoverUntilDone);
        // A Vert.x timer rather than the scheduler extension: timeouts and retries want
        // sub-second resolution, which the simple scheduler does not offer.
        timerId = vertx.setPeriodic(config.recovery().pollInterval().toMillis(), tick -> {
            if (recovered && polling.compareAndSet(false, true)) {
                driver.execute(() -> {
                    try {
                        poll();
                    } finally {
                        polling.set(false);
                    }
                });
            }
        });
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        vertx.cancelTimer(timerId);
    }

    public boolean hasRecovered() {
        return recovered;
    }

    private void recoverUntilDone() {
        long pause = 500;
        while (!recovered && !stopping) {
            try {
                nodes.register(node.id(), node.name());
                int count = takeOverOrphans();
                nextHeartbeat = System.nanoTime() + config.recovery().heartbeatInterval().toNanos();
                recovered = true;
                LOG.infof("node %s (%s) ready; start-up recovery took over %d unfinished transaction(s)",
                        node.name(), node.id(), count);
            } catch (RuntimeException e) {
                LOG.warnf("start-up recovery failed (%s); retrying in %d ms", e.toString(), pause);
                sleep(pause);
                pause = Math.min(pause * 2, 10_000);
            }
        }
    }

    /** Claims dead nodes' transactions batch by batch and drives each on from where it stood. */
    private int takeOverOrphans() {
        int count = 0;
        int batch = config.recovery().batchSize();
        while (true) {
            List<String> claimed = scan.claimOrphans(node.id(), config.recovery().nodeTimeout(), batch);
            for (String id : claimed) {
                service.recover(id);
            }
            count += claimed.size();
            if (claimed.size() < batch) {
                return count;
            }
        }
    }

    private void poll() {
        try {
            if (System.nanoTime() - nextHeartbeat >= 0) {
                nextHeartbeat = System.nanoTime() + config.recovery().heartbeatInterval().toNanos();
                if (!nodes.heartbeat(node.id())) {
                    LOG.errorf("node name '%s' was taken by a newer coordinator start; two live coordinators"
                            + " share one verdict.recovery.node-name. Give each its own name.", node.name());
                }
                int taken = takeOverOrphans();
                if (taken > 0) {
                    LOG.infof("took over %d transaction(s) from coordinator nodes presumed dead", taken);
                }
            }
            Instant now = clock.instant();
            for (String id : scan.due(node.id(), now, now.plus(longestWait()), config.recovery().batchSize())) {
                if (!inFlight.contains(id)) {
                    service.wake(id);
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("poll for due transactions failed: %s", e.toString());
        }
    }

    /** The furthest ahead a decided transaction is ever scheduled: a retry, or a round in flight. */
    private Duration longestWait() {
        Duration inFlight = config.participant().callTimeout().multipliedBy(2);
        Duration retry = config.retry().max();
        return (retry.compareTo(inFlight) > 0 ? retry : inFlight).plusSeconds(1);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis); // back-off between attempts to reach the store, not a correctness wait
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
