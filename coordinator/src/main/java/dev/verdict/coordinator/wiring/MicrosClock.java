package dev.verdict.coordinator.wiring;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * The system clock in UTC, truncated to microseconds: what PostgreSQL keeps, so an instant shown
 * from memory is exactly the one the log stores. Not {@code Clock.tick(.., 1 µs)}: on JDK 17 its
 * {@code millis()} divides by the tick's whole milliseconds, zero here.
 */
final class MicrosClock extends Clock {

    private static final Clock SYSTEM = Clock.systemUTC();

    @Override
    public Instant instant() {
        return SYSTEM.instant().truncatedTo(ChronoUnit.MICROS);
    }

    @Override
    public long millis() {
        return SYSTEM.millis();
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
