package dev.verdict.coordinator.model;

import java.util.List;

/**
 * What only the log knows: transactions finished with a heuristic outcome, and decided ones whose
 * node died and that no live node has taken over yet. Oldest decision first.
 */
public record LogReport(long heuristicCount, List<StoredTransaction> heuristic, long orphanedCount,
                        List<StoredTransaction> orphaned) {}
