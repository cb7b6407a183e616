package dev.verdict.participant.kit;

import java.util.EnumSet;
import java.util.Set;

/** Where a transaction stands at one local resource (docs/protocol.md, section 6). */
public enum LocalState {
    /** Joined: work recorded, no vote yet. */
    ACTIVE,
    /** Voted PREPARED: in doubt until the decision arrives. */
    PREPARED,
    /** Voted READ_ONLY: nothing to commit or undo. */
    READ_ONLY,
    COMMITTED,
    /** Rolled back after it was prepared: a commit now is a heuristic outcome, reported as such. */
    ROLLED_BACK,
    /**
     * Rolled back without ever being prepared: an ABORT vote, a rollback before prepare, or a
     * tombstone for a transaction never worked in. A late prepare votes ABORT; a commit is a
     * protocol error (the coordinator cannot have decided to commit without our vote).
     */
    ABORTED;

    /** States that wait for the coordinator, and so ask it when they hear nothing (obligation 6). */
    static final Set<LocalState> WAITING = EnumSet.of(ACTIVE, PREPARED);
}
