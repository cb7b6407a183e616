package dev.verdict.coordinator.port;

import java.time.Instant;
import java.util.function.Supplier;

/**
 * Deletes what retention no longer keeps, in bounded batches: each call deletes at most
 * {@code batch} rows in one short statement, so pruning never holds many locks for long. Never
 * deletes an unfinished transaction, an unacknowledged heuristic one, the history of either, or
 * the audit log.
 */
public interface LogRetention {

    /**
     * Runs {@code work} holding the cluster-wide pruning lock, so one node prunes at a time.
     * Empty when another node holds it.
     */
    <T> java.util.Optional<T> exclusively(Supplier<T> work);

    /**
     * Finished transaction records that finished before {@code finishedBefore} (acknowledged
     * heuristic ones: acknowledged before it), among ids minted before {@code mintedBefore}.
     */
    int pruneTransactions(Instant finishedBefore, Instant mintedBefore, int batch);

    /** History entries recorded before {@code before}, except those of transactions unfinished on record. */
    int pruneHistory(Instant before, int batch);

    /** Coordinator nodes that died before {@code diedBefore}. */
    int pruneNodes(Instant diedBefore, int batch);

    /** Participants deregistered before {@code deregisteredBefore} (tombstones). */
    int pruneParticipants(Instant deregisteredBefore, int batch);
}
