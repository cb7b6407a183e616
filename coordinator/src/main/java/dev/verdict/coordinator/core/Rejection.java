package dev.verdict.coordinator.core;

/** Why a client command cannot be applied in the transaction's current state. */
public enum Rejection {
    /** Enlisting needs an ACTIVE transaction. */
    NOT_ACTIVE,
    /** Rollback of a transaction decided to commit. */
    ALREADY_COMMITTED,
    /** Commit of a transaction decided to roll back. */
    ALREADY_ROLLED_BACK,
    /** A one-phase commit is the participant's to decide; an operator can only record its outcome. */
    DELEGATED,
    /** An operator's statement that a participant applied the opposite of the decision (I2). */
    CONTRADICTS_DECISION,
    /** Nothing waits on that participant: no such branch, or it has answered already. */
    NOT_WAITING,
    /** Not decided yet: a branch can only be resolved once there is a decision to apply. */
    UNDECIDED
}
