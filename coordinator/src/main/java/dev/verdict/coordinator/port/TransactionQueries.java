package dev.verdict.coordinator.port;

import dev.verdict.coordinator.core.TransactionState;
import dev.verdict.coordinator.model.StoredTransaction;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What clients and operators read. Never on the write path. */
public interface TransactionQueries {

    Optional<StoredTransaction> find(String id);

    Map<TransactionState, Long> countByState();

    /** Creation time of the oldest transaction not yet decided. */
    Optional<Instant> oldestUndecided();

    /** Decided but not acknowledged by every participant, or finished with a heuristic outcome; oldest decision first. */
    List<StoredTransaction> inDoubt(int limit);

    /** Unfinished transactions with a branch for this participant. */
    long unfinishedWith(String participant);

    /** Cheap round trip proving the store answers. */
    void ping();
}
