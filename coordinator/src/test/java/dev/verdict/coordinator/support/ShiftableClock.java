package dev.verdict.coordinator.support;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * The coordinator's clock in tests: the system clock plus an offset a test can jump forward or
 * back, as NTP corrections and VM migrations do to real clocks. Offset zero unless a test moves it.
 * Microseconds, like production's ({@code Wiring.clock}).
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class ShiftableClock extends Clock {

    private volatile Duration offset = Duration.ZERO;

    public void jump(Duration by) {
        offset = offset.plus(by);
    }

    public void reset() {
        offset = Duration.ZERO;
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset).truncatedTo(ChronoUnit.MICROS); // as production's clock: what PostgreSQL keeps
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the coordinator works in UTC");
    }
}
