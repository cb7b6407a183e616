package dev.verdict.coordinator.port;

import dev.verdict.coordinator.model.StoredTransaction;
import java.time.Instant;
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

    /**
     * Unfinished decided transactions that {@code node} owns and that were decided before
     * {@code decidedBefore}: ones it should be driving. A node whose memory lost one (a claim whose
     * answer was lost, a completion it could not write) finds it here and drives it again.
     */
    List<StoredTransaction> unfinishedOwnedBy(String node, Instant decidedBefore, int limit);
}
