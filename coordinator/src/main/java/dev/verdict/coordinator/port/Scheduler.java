package dev.verdict.coordinator.port;

import java.time.Duration;

/**
 * Runs a task after a delay measured on a monotonic clock, so wall-clock jumps neither fire nor
 * stall timeouts and retries. Tasks must not block. The simulation runs them in virtual time.
 */
public interface Scheduler {

    Timer schedule(Duration delay, Runnable task);

    /** The monotonic clock the delays run on, in nanoseconds from an arbitrary origin. */
    long nanoTime();

    interface Timer {
        /** Harmless if the task already ran. */
        void cancel();
    }
}
