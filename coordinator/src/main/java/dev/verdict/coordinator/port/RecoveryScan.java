package dev.verdict.coordinator.port;

import dev.verdict.coordinator.model.StoredTransaction;
import java.util.List;

/** What recovery reads: decided transactions of dead nodes, to take over. */
public interface RecoveryScan {

    /**
     * Makes {@code node} the owner of up to {@code limit} unfinished decided transactions whose
     * owner has been declared dead (buried or superseded, see {@link Nodes}) or never registered,
     * and returns them. An owner only late with its heartbeat keeps its transactions until it is
     * declared dead, so it never drives one that another node has claimed. Concurrent callers
     * claim disjoint sets, so each orphan is taken over by exactly one node.
     */
    List<StoredTransaction> claimOrphans(String node, int limit);
}
