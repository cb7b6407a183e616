package dev.verdict.coordinator.port;

import dev.verdict.coordinator.core.TransactionState;
import dev.verdict.coordinator.model.StoredTransaction;
import dev.verdict.protocol.Outcome;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** What operators search in the log (GET /transactions). Never on the write path. */
public interface LogSearch {

    /**
     * @param states only these states; never empty (the service leaves out what the log cannot hold)
     * @param inDoubt null for either; true: unfinished, or heuristic and not acknowledged; false: neither
     * @param participant null, or only transactions with a branch for it
     * @param decidedUpTo null, or decided at or before it (olderThan)
     * @param decidedAfter null, or decided strictly after it
     * @param decidedBefore null, or decided strictly before it
     * @param outcome null, or only this decision
     * @param newestFirst order by id descending (ids begin with their creation time), else ascending
     * @param after null, or only ids after this one in that order (the cursor)
     */
    record Filter(Set<TransactionState> states, Boolean inDoubt, String participant, Instant decidedUpTo,
                  Instant decidedAfter, Instant decidedBefore, Outcome outcome, boolean newestFirst, String after,
                  int limit) {}

    /** At most {@code limit} records matching {@code filter}, in its order. */
    List<StoredTransaction> search(Filter filter);
}
