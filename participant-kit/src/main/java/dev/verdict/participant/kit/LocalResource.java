package dev.verdict.participant.kit;

/**
 * What a service implements to take part in Verdict transactions. The kit calls each method inside
 * a local JTA transaction that also records the participant's state, so the two commit together:
 * a crash leaves either both or neither. The kit guarantees each method is called at most once per
 * transaction id and in a legal order; implementations need no idempotency of their own.
 */
public interface LocalResource {

    /** Make the work of {@code txId} durable but undecided (e.g. place holds). */
    Vote prepare(String txId);

    /** Apply the work of a prepared transaction. Must not fail for business reasons. */
    void commit(String txId);

    /**
     * Undo the work of {@code txId}.
     *
     * @param prepared whether {@link #prepare} had succeeded (so holds exist to release)
     */
    void rollback(String txId, boolean prepared);

    enum Vote { PREPARED, READ_ONLY, ABORT }
}
