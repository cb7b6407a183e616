package dev.verdict.coordinator.core;

import java.time.Duration;

/**
 * Capped exponential backoff for undelivered messages. Retries never stop for a decided transaction
 * (invariant I2); the cap only bounds how long a healed participant waits to hear from us.
 */
public record RetryPolicy(Duration initial, Duration max) {

    public RetryPolicy {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max, got " + initial + ", " + max);
        }
    }

    /** Delay before retry number {@code attempt} (1 = after the first failure). */
    public Duration delay(int attempt) {
        int doublings = Math.max(0, Math.min(attempt - 1, 30));
        long millis = initial.toMillis() << doublings;
        return millis <= 0 || millis > max.toMillis() ? max : Duration.ofMillis(millis);
    }
}
