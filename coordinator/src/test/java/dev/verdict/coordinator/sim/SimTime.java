package dev.verdict.coordinator.sim;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Virtual time. {@link #now} is monotonic: schedulers and the database (its heartbeats) follow it.
 * Each coordinator's wall clock is that plus an offset that clock-jump faults move.
 */
final class SimTime {

    private static final long BASE = Instant.parse("2026-11-22T00:00:00Z").toEpochMilli();

    long now;

    Instant database() {
        return Instant.ofEpochMilli(BASE + now);
    }

    /** A node's wall clock: virtual time plus its own jumps. */
    final class WallClock extends Clock {
        long offset;

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(BASE + now + offset);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
