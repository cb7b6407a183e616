package dev.verdict.coordinator.core;

/**
 * Lifecycle of a distributed transaction. The only legal moves are those of {@link Protocol}; the
 * table in docs/protocol.md is generated from the same rules and tested exhaustively.
 */
public enum TransactionState {
    /** Begun; participants may enlist. */
    ACTIVE,
    /** Commit requested; prepare (or a one-phase commit) is in flight. Not yet decided. */
    PREPARING,
    /** Decided commit, durably logged; phase 2 in progress. */
    COMMITTING,
    /** Decided rollback; phase 2 in progress. Presumed abort: this needs no forced write. */
    ROLLING_BACK,
    COMMITTED,
    ROLLED_BACK,
    /** Finished, but a participant reported an outcome contrary to the decision: needs a human. */
    HEURISTIC;

    public boolean isDecided() {
        return this != ACTIVE && this != PREPARING;
    }

    /** Decided but not yet acknowledged by every participant, or finished against the decision. */
    public boolean isInDoubt() {
        return this == COMMITTING || this == ROLLING_BACK || this == HEURISTIC;
    }

    public boolean isTerminal() {
        return this == COMMITTED || this == ROLLED_BACK || this == HEURISTIC;
    }
}
