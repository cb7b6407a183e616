package dev.verdict.coordinator.service;

import dev.verdict.coordinator.core.TransactionState;
import dev.verdict.coordinator.model.LogReport;
import dev.verdict.coordinator.model.NodeReport;
import dev.verdict.coordinator.model.StoredTransaction;
import dev.verdict.coordinator.port.TransactionQueries;
import dev.verdict.coordinator.core.Transaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
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

    /** A decided transaction this node drives that some participant has not acknowledged. */
    public record InDoubt(String id, Instant decidedAt) {}

    /**
     * What this node holds, for its gauges and alerts.
     *
     * @param waitingOn per participant, the unfinished transactions with a message for it not yet delivered
     */
    public record Holding(long undecided, List<InDoubt> inDoubt, Map<String, Long> waitingOn) {}

    /** One pass over this node's memory; no database. */
    public Holding holding() {
        long undecided = 0;
        List<InDoubt> inDoubt = new ArrayList<>();
        Map<String, Long> waitingOn = new HashMap<>();
        for (LiveTransaction live : table.all()) {
            StoredTransaction st = live.snapshot();
            Transaction tx = st.tx();
            if (tx.state().isTerminal()) {
                continue;
            }
            if (tx.state().isDecided()) {
                inDoubt.add(new InDoubt(st.id(), st.decidedAt()));
            } else {
                undecided++;
            }
            for (String participant : tx.waitingOn()) {
                waitingOn.merge(participant, 1L, Long::sum);
            }
        }
        return new Holding(undecided, inDoubt, waitingOn);
    }
}
