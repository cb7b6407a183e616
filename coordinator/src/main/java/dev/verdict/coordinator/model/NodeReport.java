package dev.verdict.coordinator.model;

import dev.verdict.coordinator.core.TransactionState;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What one node holds in memory: its unfinished transactions by state, the oldest undecided one's
 * begin time, and its in-doubt transactions (decided, phase 2 not yet acknowledged), oldest
 * decision first, with their live delivery attempts and errors.
 */
public record NodeReport(String incarnation, String name, String address, Map<TransactionState, Long> counts,
                         Instant oldestUndecided, List<StoredTransaction> inDoubt) {}
