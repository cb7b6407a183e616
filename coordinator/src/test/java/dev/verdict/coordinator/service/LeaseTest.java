package dev.verdict.coordinator.service;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verdict.coordinator.port.Scheduler;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LeaseTest {

    /** Only the monotonic clock matters to a lease; nothing is ever scheduled. */
    static final class Clock implements Scheduler {
        long now;

        @Override
        public Timer schedule(Duration delay, Runnable task) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long nanoTime() {
            return now;
        }

        void advance(Duration d) {
            now += d.toNanos();
        }
    }

    final Clock clock = new Clock();
    final Lease lease = new Lease(clock, Duration.ofSeconds(4));

    @Test
    void noLeaseBeforeTheFirstHeartbeat() {
        assertFalse(lease.valid());
    }

    @Test
    void countsFromWhenTheHeartbeatWasSentNotFromWhenItLanded() {
        long sentAt = lease.now();
        clock.advance(Duration.ofMillis(1500)); // a slow write
        assertFalse(lease.renew(sentAt), "a first renewal is not a lapse");
        assertTrue(lease.valid());
        clock.advance(Duration.ofMillis(499));
        assertTrue(lease.valid(), "1,999 ms after the heartbeat was sent");
        clock.advance(Duration.ofMillis(1));
        assertFalse(lease.valid(), "half the node timeout after it was sent, though only 500 ms after it landed");
    }

    @Test
    void aRenewalAfterALapseSaysSo() {
        lease.renew(lease.now());
        clock.advance(Duration.ofSeconds(1));
        assertFalse(lease.renew(lease.now()), "renewed in time");
        clock.advance(Duration.ofSeconds(3));
        assertTrue(lease.renew(lease.now()), "3 s without a heartbeat: new transactions were refused meanwhile");
        assertTrue(lease.valid());
    }
}
