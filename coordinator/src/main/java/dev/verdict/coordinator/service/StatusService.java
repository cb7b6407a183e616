package dev.verdict.coordinator.service;

import dev.verdict.coordinator.core.TransactionState;
import dev.verdict.coordinator.model.LogReport;
import dev.verdict.coordinator.model.NodeReport;
import dev.verdict.coordinator.model.StoredTransaction;
import dev.verdict.coordinator.port.TransactionQueries;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The status an operator reads first, in two parts: what this node holds in memory, read without
 * touching the database, and what only the log knows. The API adds the other live nodes' parts.
 */
public final class StatusService {

    private static final Comparator<StoredTransaction> OLDEST_DECISION = Comparator.comparing(
            StoredTransaction::decidedAt, Comparator.nullsLast(Comparator.naturalOrder()));

    private final LiveTransactions table;
    private final TransactionQueries queries;
    private final ThisNode node;
    private final DriverSettings settings;

    StatusService(LiveTransactions table, TransactionQueries queries, ThisNode node, DriverSettings settings) {
        this.table = table;
        this.queries = queries;
        this.node = node;
        this.settings = settings;
    }

    public NodeReport local(int limit) {
        Map<TransactionState, Long> counts = new EnumMap<>(TransactionState.class);
        for (TransactionState s : TransactionState.values()) {
            if (!s.isTerminal()) {
                counts.put(s, 0L);
            }
        }
        Instant oldestUndecided = null;
        List<StoredTransaction> snapshots = table.all().stream().map(LiveTransaction::snapshot).toList();
        for (StoredTransaction tx : snapshots) {
            TransactionState state = tx.tx().state();
            counts.merge(state, 1L, Long::sum);
            if (!state.isDecided() && (oldestUndecided == null || tx.createdAt().isBefore(oldestUndecided))) {
                oldestUndecided = tx.createdAt();
            }
        }
        List<StoredTransaction> inDoubt = snapshots.stream().filter(tx -> tx.tx().state().isInDoubt())
                .sorted(OLDEST_DECISION).limit(limit).toList();
        return new NodeReport(node.incarnation(), node.name(), node.address(), counts, oldestUndecided, inDoubt);
    }

    /** Blocking: reads the database. */
    public LogReport fromLog(int limit) {
        return new LogReport(queries.countHeuristic(), queries.heuristic(limit),
                queries.countOrphaned(settings.nodeTimeout()), queries.orphaned(settings.nodeTimeout(), limit));
    }
}
