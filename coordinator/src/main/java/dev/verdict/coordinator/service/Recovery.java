package dev.verdict.coordinator.service;

import dev.verdict.coordinator.config.VerdictConfig;
import dev.verdict.coordinator.port.RecoveryScan;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Recovery is the normal path run from a different starting point: at start-up every transaction
 * left unfinished by an earlier process gets a {@code Recovered} event (undecided ones roll back,
 * decided ones resume phase 2); after that, a poller wakes transactions whose due time has passed
 * (timeouts and retries). Readiness stays DOWN until the start-up pass has completed.
 */
@ApplicationScoped
public class Recovery {

    private static final Logger LOG = Logger.getLogger(Recovery.class);

    @Inject
    RecoveryScan scan;

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
    private volatile Instant bootedAt;

    private final AtomicBoolean polling = new AtomicBoolean();
    private long timerId = -1;

    void onStart(@Observes StartupEvent event) {
        bootedAt = clock.instant();
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
                int count = recoverAll();
                recovered = true;
                LOG.infof("start-up recovery complete: %d unfinished transaction(s) taken over", count);
            } catch (RuntimeException e) {
                LOG.warnf("start-up recovery failed (%s); retrying in %d ms", e.toString(), pause);
                sleep(pause);
                pause = Math.min(pause * 2, 10_000);
            }
        }
    }

    private int recoverAll() {
        int count = 0;
        String after = null;
        while (true) {
            List<String> page = scan.unfinished(after, config.recovery().batchSize());
            for (String id : page) {
                service.recover(id, bootedAt);
                count++;
            }
            if (page.size() < config.recovery().batchSize()) {
                return count;
            }
            after = page.get(page.size() - 1);
        }
    }

    private void poll() {
        try {
            for (String id : scan.due(clock.instant(), config.recovery().batchSize())) {
                if (!inFlight.contains(id)) {
                    service.wake(id);
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("poll for due transactions failed: %s", e.toString());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis); // back-off between attempts to reach the store, not a correctness wait
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
