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

    /** The monotonic time to pass to {@link #renew} once the heartbeat sent now has landed. */
    long now() {
        return clock.nanoTime();
    }

    /**
     * @param sentAt when the heartbeat that landed was sent ({@link #now}): the others judge this
     *               node by the time its write ran, which is no later than that, so the lease
     *               counts from then and never outlives what they see
     * @return whether the lease had lapsed before this renewal (new transactions were refused)
     */
    boolean renew(long sentAt) {
        boolean lapsed = renewed && !valid();
        renewedAt = sentAt;
        renewed = true;
        return lapsed;
    }

    boolean valid() {
        return renewed && clock.nanoTime() - renewedAt < validNanos;
    }
}
