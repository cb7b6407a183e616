package dev.verdict.participant.kit;

import dev.verdict.protocol.Vote;

/**
 * What a service implements, as a CDI bean, to take part in Verdict transactions: the local work of
 * a transaction made durable but undecided, then applied or undone. The kit calls each method inside
 * a local JTA transaction that also records where the transaction stands here, so the two commit
 * together: a crash leaves both or neither. The kit calls each method at most once per transaction
 * and in a legal order (never commit before prepare, nothing after the end); implementations need
 * no idempotency of their own.
 *
 * <p>A service may have several, each a participant of its own at the coordinator, named
 * {@code <verdict.participant.name>.<resourceName>} and called back under
 * {@code <callback-url>/<resourceName>}. The one with the empty name (the default) is the participant
 * {@code <verdict.participant.name>}, called back under {@code <callback-url>}.
 */
public interface LocalResource {

    /** This resource's name within the service: {@code [a-z0-9][a-z0-9_-]{0,30}}, or "" for the default one. */
    default String resourceName() {
        return "";
    }

    /**
     * Make the work of {@code txId} durable but undecided (e.g. place holds), or refuse.
     *
     * @return PREPARED; READ_ONLY when there is nothing to commit (the resource hears nothing more);
     *         ABORT to refuse, after which {@link #rollback} is called with {@code prepared == false}
     */
    Vote prepare(String txId);

    /** Apply the work of a prepared transaction. Must not fail for business reasons. */
    void commit(String txId);

    /**
     * Undo the work of {@code txId}.
     *
     * @param prepared whether {@link #prepare} had succeeded (so holds exist to release)
     */
    void rollback(String txId, boolean prepared);
}
