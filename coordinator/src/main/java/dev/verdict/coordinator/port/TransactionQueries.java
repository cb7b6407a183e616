package dev.verdict.coordinator.port;

import dev.verdict.coordinator.model.StoredTransaction;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** What clients and operators read from the log. Never on the write path. */
public interface TransactionQueries {

    /** The record of a decided transaction, with the incarnation driving it; empty when there is none. */
    Optional<Logged> find(String id);

    record Logged(StoredTransaction tx, String owner) {}

    /** Finished with a heuristic outcome that no operator has acknowledged yet; oldest decision first. */
    List<StoredTransaction> heuristic(int limit);

    /** How many {@link #heuristic} would list without a limit, or a bound the store names when there are more. */
    long countHeuristic();

    /** Decided, unfinished, and owned by no live node (waiting to be taken over); oldest decision first. */
    List<StoredTransaction> orphaned(Duration nodeTimeout, int limit);

    /** How many {@link #orphaned} would list without a limit, or a bound the store names when there are more. */
    long countOrphaned(Duration nodeTimeout);

    /** Decided transactions not yet finished with a branch for this participant. */
    long unfinishedWith(String participant);

    /** Cheap round trip proving the store answers. */
    void ping();
}
