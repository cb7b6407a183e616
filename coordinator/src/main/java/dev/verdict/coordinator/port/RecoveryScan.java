package dev.verdict.coordinator.port;

import java.time.Instant;
import java.util.List;

/** What recovery reads: transactions to drive after a restart, and those due for attention. */
public interface RecoveryScan {

    /** Ids of unfinished transactions, in id order after {@code afterId} (null for the start). */
    List<String> unfinished(String afterId, int limit);

    /** Ids of unfinished transactions whose due time has passed, oldest first. */
    List<String> due(Instant now, int limit);
}
