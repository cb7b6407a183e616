package dev.verdict.coordinator.wiring;

import dev.verdict.coordinator.port.Scheduler;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The scheduler port on one timer thread. Delays run on the JVM's monotonic clock. Cancelled tasks
 * leave the queue at once, so a transaction's timeout costs nothing once it is decided.
 */
final class TimerScheduler implements Scheduler {

    private static final Logger LOG = Logger.getLogger(TimerScheduler.class);

    private final ScheduledThreadPoolExecutor timer;

    TimerScheduler() {
        timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "verdict-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
    }

    @Override
    public Timer schedule(Duration delay, Runnable task) {
        ScheduledFuture<?> scheduled = timer.schedule(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.errorf(e, "scheduled task failed");
            }
        }, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        return () -> scheduled.cancel(false);
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    void stop() {
        timer.shutdownNow();
    }
}
