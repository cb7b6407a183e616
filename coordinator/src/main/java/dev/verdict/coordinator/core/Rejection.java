package dev.verdict.coordinator.core;

/** Why a client command cannot be applied in the transaction's current state. */
public enum Rejection {
    /** Enlisting needs an ACTIVE transaction. */
    NOT_ACTIVE,
    /** Rollback of a transaction decided to commit. */
    ALREADY_COMMITTED,
    /** Commit of a transaction decided to roll back. */
    ALREADY_ROLLED_BACK
}
