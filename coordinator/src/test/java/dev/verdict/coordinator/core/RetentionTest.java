package dev.verdict.coordinator.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.verdict.coordinator.core.Retention.Answer;
import dev.verdict.protocol.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The outcome a participant is told, from what is known of the transaction, its id's time, now and the retention. */
class RetentionTest {

    private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    private static final Duration WEEK = Duration.ofDays(7);

    record Row(String known, Duration idAge, Duration kept, Answer expected) {}

    @Test
    void theTable() {
        List<Row> table = List.of(
                // on record or in memory: the transaction answers for itself, however old
                new Row("ACTIVE", Duration.ofDays(30), WEEK, Answer.PENDING),
                new Row("PREPARING", Duration.ZERO, WEEK, Answer.PENDING),
                new Row("COMMITTING", Duration.ofDays(30), WEEK, Answer.COMMITTED),
                new Row("COMMITTED", Duration.ofDays(30), WEEK, Answer.COMMITTED),
                new Row("ROLLED_BACK", Duration.ofDays(30), WEEK, Answer.ROLLED_BACK),
                new Row("HEURISTIC/COMMITTED", Duration.ofDays(30), WEEK, Answer.COMMITTED),
                new Row("HEURISTIC/ROLLED_BACK", Duration.ZERO, WEEK, Answer.ROLLED_BACK),
                // no record: presumed abort while the id is younger than the window less the clock margin
                new Row(null, Duration.ZERO, WEEK, Answer.ROLLED_BACK),
                new Row(null, Duration.ofDays(6), WEEK, Answer.ROLLED_BACK),
                new Row(null, WEEK.minus(Retention.CLOCK_MARGIN).minusMillis(1), WEEK, Answer.ROLLED_BACK),
                new Row(null, WEEK.minus(Retention.CLOCK_MARGIN).plusMillis(1), WEEK, Answer.UNKNOWN),
                new Row(null, WEEK, WEEK, Answer.UNKNOWN),
                new Row(null, Duration.ofDays(400), WEEK, Answer.UNKNOWN),
                // nothing ever pruned: presumed abort whatever the age
                new Row(null, Duration.ofDays(400), null, Answer.ROLLED_BACK),
                // a clock ahead of ours minted it "in the future"
                new Row(null, Duration.ofHours(-2), WEEK, Answer.ROLLED_BACK));
        for (Row row : table) {
            Optional<Instant> minted = Optional.of(NOW.minus(row.idAge()));
            assertEquals(row.expected(), Retention.outcome(known(row.known()), minted, NOW, row.kept()), row.toString());
        }
    }

    @Test
    void anIdWithoutATimeKeepsPresumedAbort() {
        assertEquals(Answer.ROLLED_BACK, Retention.outcome(Optional.empty(), Optional.empty(), NOW, WEEK));
        assertEquals(Optional.empty(), TransactionIds.mintedAt("never.heard.of.it"));
    }

    @Test
    void aWindowNoLongerThanTheMarginIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Retention.requireLongerThanMargin(Duration.ofMinutes(90), "k"));
        Retention.requireLongerThanMargin(Duration.ofHours(2), "k");
    }

    @Test
    void timePrefixesOrderIdsByTime() {
        String id = TransactionIds.mint("0000000000001", NOW.toEpochMilli(), 0, 0);
        assertEquals(-1, Integer.signum(TransactionIds.timePrefix(NOW).compareTo(id)), "minted at the prefix's time: above it");
        assertEquals(1, Integer.signum(TransactionIds.timePrefix(NOW.plusMillis(1)).compareTo(id)), "a ms later: below");
    }

    private static Optional<Transaction> known(String what) {
        if (what == null) {
            return Optional.empty();
        }
        String[] parts = what.split("/");
        TransactionState state = TransactionState.valueOf(parts[0]);
        Outcome decision = parts.length > 1 ? Outcome.valueOf(parts[1]) : switch (state) {
            case COMMITTING, COMMITTED -> Outcome.COMMITTED;
            case ROLLING_BACK, ROLLED_BACK -> Outcome.ROLLED_BACK;
            default -> null;
        };
        return Optional.of(new Transaction("t", state, decision, null, List.of()));
    }
}
