package dev.verdict.coordinator.service;

import dev.verdict.coordinator.port.Scheduler;
import java.time.Duration;

/**
 * Whether this node may take new work: its last heartbeat landed less than half the node timeout
 * ago, on the monotonic clock. Past that, the others may soon declare it dead and answer for its
 * transactions, so beginning more of them would only make work for the fences.
 */
final class Lease {

    private final Scheduler clock;
    private final long validNanos;
    private volatile long renewedAt;
    private volatile boolean renewed;

    Lease(Scheduler clock, Duration nodeTimeout) {
        this.clock = clock;
        this.validNanos = nodeTimeout.toNanos() / 2;
    }

    void renew() {
        renewedAt = clock.nanoTime();
        renewed = true;
    }

    boolean valid() {
        return renewed && clock.nanoTime() - renewedAt < validNanos;
    }
}
