package dev.verdict.coordinator.port;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** What recovery reads: transactions due for attention, and dead nodes' transactions to take over. */
public interface RecoveryScan {

    /** Ids of unfinished transactions driven by {@code owner} whose due time has passed, oldest first. */
    List<String> due(String owner, Instant now, int limit);

    /**
     * Makes {@code node} the owner of up to {@code limit} unfinished transactions whose owner is dead
     * (silent for {@code nodeTimeout}, superseded, or unknown) and returns their ids. Concurrent
     * callers claim disjoint sets, so each orphan is taken over by exactly one node.
     */
    List<String> claimOrphans(String node, Duration nodeTimeout, int limit);
}
