package dev.verdict.coordinator.port;

import dev.verdict.coordinator.model.StoredTransaction;
import java.time.Duration;
import java.util.List;

/** What recovery reads: decided transactions of dead nodes, to take over. */
public interface RecoveryScan {

    /**
     * Makes {@code node} the owner of up to {@code limit} unfinished decided transactions whose
     * owner is dead (silent for {@code nodeTimeout}, superseded, or unknown) and returns them.
     * Concurrent callers claim disjoint sets, so each orphan is taken over by exactly one node.
     */
    List<StoredTransaction> claimOrphans(String node, Duration nodeTimeout, int limit);
}
