package dev.verdict.conformance.flawed;

/**
 * Bugs planted in {@link FlawedParticipant}, one (or more) per conformance check: a check is
 * trusted once the participant broken in its way makes it fail. {@link #NONE} is the honest one,
 * which passes every check. Each names the check that must catch it.
 */
public enum Flaw {
    NONE(null),
    // obligation 2: joining
    NO_ENLIST("work-enlists"),
    IGNORES_ENLIST_REFUSAL("enlist-refused"),
    UNAVAILABLE_AS_502("enlist-unavailable"),
    // section 5a: signatures
    ACCEPTS_UNSIGNED("signature-unsigned"),
    ACCEPTS_ANY_SIGNATURE("signature-wrong-key"),
    BODY_NOT_VERIFIED("signature-tampered-body"),
    PATH_FROM_BODY("signature-tampered-path"),
    NO_TIMESTAMP_WINDOW("signature-stale"),
    NO_NONCE_MEMORY("signature-replay"),
    // obligation 3: idempotence
    PREPARE_NOT_IDEMPOTENT("duplicate-prepare"),
    COMMIT_NOT_APPLIED("commit-applies"),
    COMMIT_APPLIED_TWICE("duplicate-commit"),
    READ_ONLY_ROLLBACK_COMMITTED("read-only-lost-vote"),
    ONE_PHASE_REPEAT_ROLLED_BACK("one-phase-repeat"),
    // obligation 4: unknown ids and tombstones
    PREPARE_UNKNOWN_READ_ONLY("prepare-unknown"),
    NO_TOMBSTONE_ON_ROLLBACK("unknown-rollback"),
    ROLLBACK_IGNORES_ACTIVE("rollback-before-prepare"),
    ONE_PHASE_UNKNOWN_COMMITS("one-phase-unknown"),
    ROLLBACK_AFTER_ABORT_REFUSED("abort-then-rollback"),
    // obligations 5 and 9: protocol errors
    COMMIT_WITHOUT_PREPARE_COMMITS("commit-without-prepare"),
    /** Answers a commit on a tombstone as if it had been rolled back after PREPARED (200 ROLLED_BACK, a heuristic). */
    TOMBSTONE_COMMIT_ROLLED_BACK("commit-without-prepare"),
    UNKNOWN_ACTION_404("unknown-action"),
    IGNORES_BODY_ID("body-contradicts-path"),
    PLAIN_TEXT_ERRORS("problem-json"),
    // obligation 6: asking
    NEVER_ASKS("outcome-query"),
    ASKS_TOO_EARLY("outcome-query"),
    IGNORES_OUTCOME("outcome-query"),
    IGNORES_ROLLED_BACK_OUTCOME("outcome-query"),
    // obligation 1: durability
    VOLATILE_VOTES("durable-vote");

    /** The check that must fail on this flaw. */
    public final String caughtBy;

    Flaw(String caughtBy) {
        this.caughtBy = caughtBy;
    }
}
