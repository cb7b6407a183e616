package dev.verdict.coordinator.core;

import dev.verdict.protocol.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What "no record" means once old records are pruned. Presumed abort reads a missing record as
 * "rolled back"; after pruning, a missing record may instead be a commit whose row was deleted, so
 * an id old enough to have been pruned gets {@link Answer#UNKNOWN}, never a guess.
 *
 * <p>An id's age is read from the id itself (its ULID time, {@link TransactionIds#mintedAt}): a
 * transaction finishes after it is minted, so a record pruned for finishing before {@code now -
 * kept} belongs to an id minted before that too. The minting node's clock and the pruning
 * node's may disagree; {@link #CLOCK_MARGIN} absorbs that, so the window in which ids are
 * answered as unknown starts {@code kept - CLOCK_MARGIN} ago rather than {@code kept} ago.
 */
public final class Retention {

    /** Largest disagreement between coordinator clocks this rule tolerates. */
    public static final Duration CLOCK_MARGIN = Duration.ofHours(1);

    /** The answer to a participant asking for an outcome. */
    public enum Answer { COMMITTED, ROLLED_BACK, PENDING, UNKNOWN }

    private Retention() {}

    /**
     * Whether a record of a transaction minted at {@code mintedAt} may have been deleted by a
     * retention of {@code kept} (null: nothing is ever pruned). Ids without a readable time
     * (shapes of other versions, made-up ones) keep presumed abort.
     */
    public static boolean mayBeForgotten(Optional<Instant> mintedAt, Instant now, Duration kept) {
        if (kept == null || mintedAt.isEmpty()) {
            return false;
        }
        return mintedAt.get().isBefore(now.minus(kept).plus(CLOCK_MARGIN));
    }

    /**
     * The outcome answer from what is known: a transaction in memory or on record answers for
     * itself; with neither, presumed abort, unless the record may have been pruned.
     */
    public static Answer outcome(Optional<Transaction> known, Optional<Instant> mintedAt, Instant now, Duration kept) {
        if (known.isPresent()) {
            Transaction tx = known.get();
            if (!tx.state().isDecided()) {
                return Answer.PENDING;
            }
            return tx.decision() == Outcome.COMMITTED ? Answer.COMMITTED : Answer.ROLLED_BACK;
        }
        return mayBeForgotten(mintedAt, now, kept) ? Answer.UNKNOWN : Answer.ROLLED_BACK;
    }

    /** The smallest retention that leaves any id answerable: the margin itself must fit in it. */
    public static void requireLongerThanMargin(Duration kept, String key) {
        if (kept != null && kept.compareTo(CLOCK_MARGIN.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException(key + " must be at least " + CLOCK_MARGIN.multipliedBy(2).toHours()
                    + "h: ids are answered UNKNOWN from " + CLOCK_MARGIN.toHours() + "h before it ends (clock margin)");
        }
    }
}
