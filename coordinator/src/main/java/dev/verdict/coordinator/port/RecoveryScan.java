package dev.verdict.coordinator.port;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** What recovery reads: transactions due for attention, and dead nodes' transactions to take over. */
public interface RecoveryScan {

    /**
     * Ids of unfinished transactions driven by {@code owner} whose due time has passed, oldest
     * first; also decided ones due after {@code horizon}, later than any retry is ever scheduled,
     * which only a clock that has since jumped back can have written.
     */
    List<String> due(String owner, Instant now, Instant horizon, int limit);

    /**
     * Makes {@code node} the owner of up to {@code limit} unfinished transactions whose owner is dead
     * (silent for {@code nodeTimeout}, superseded, or unknown) and returns their ids. Concurrent
     * callers claim disjoint sets, so each orphan is taken over by exactly one node.
     */
    List<String> claimOrphans(String node, Duration nodeTimeout, int limit);
}
