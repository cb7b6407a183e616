package dev.verdict.coordinator.core;

/** Where one participant's branch of a transaction stands. */
public enum BranchState {
    ENLISTED,
    PREPARED,
    READ_ONLY,
    /** Voted abort: it has rolled back already and needs no phase-2 message. */
    ABORTED,
    COMMITTED,
    ROLLED_BACK,
    /** Told to roll back, reported it had committed. */
    HEURISTIC_COMMIT,
    /** Told to commit, reported it had rolled back. */
    HEURISTIC_ROLLBACK,
    HEURISTIC_MIXED,
    /**
     * The participant could not be reached, and an operator applied the outcome there by hand and
     * said so (docs/operator-api.md, resolve-branch and record-outcome).
     */
    RESOLVED;

    public boolean isHeuristic() {
        return this == HEURISTIC_COMMIT || this == HEURISTIC_ROLLBACK || this == HEURISTIC_MIXED;
    }

    /** A branch that may hold prepared work and so must hear the rollback. */
    boolean needsRollback() {
        return this == ENLISTED || this == PREPARED;
    }
}
