package dev.verdict.coordinator.support;

import dev.verdict.coordinator.model.AuditEntry;
import dev.verdict.coordinator.model.HistoryEntry;
import dev.verdict.coordinator.port.AuditTrail;
import dev.verdict.coordinator.port.HistoryLog;
import dev.verdict.coordinator.service.CoordinatorNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

/** In-memory twins of the history and the audit log, for the simulation and unit tests. */
public final class MemoryHistory implements HistoryLog, AuditTrail {

    private final List<HistoryEntry> entries = new ArrayList<>();
    private final List<AuditEntry> audit = new ArrayList<>();

    /** The operators' ports of a node, on these twins, flushing on {@code thread}. */
    public static CoordinatorNode.Operators operators(Executor thread) {
        MemoryHistory memory = new MemoryHistory();
        return new CoordinatorNode.Operators(memory, memory, thread, Duration.ofMillis(200), 10_000);
    }

    @Override
    public synchronized List<HistoryEntry> append(List<HistoryEntry> batch) {
        int first = entries.size();
        for (HistoryEntry e : batch) {
            entries.add(new HistoryEntry(entries.size() + 1, e.transactionId(), e.at(), e.node(), e.kind(), e.participant(),
                    e.detail()));
        }
        return List.copyOf(entries.subList(first, entries.size()));
    }

    @Override
    public synchronized List<HistoryEntry> of(String transactionId, int limit) {
        return entries.stream().filter(e -> transactionId.equals(e.transactionId())).limit(limit).toList();
    }

    @Override
    public synchronized AuditEntry append(AuditEntry entry) {
        AuditEntry stored = entry.withId(audit.size() + 1);
        audit.add(stored);
        return stored;
    }

    @Override
    public Optional<AuditEntry> acknowledgeHeuristic(AuditEntry entry) {
        throw new UnsupportedOperationException("heuristic outcomes live in the JDBC log");
    }

    @Override
    public synchronized List<AuditEntry> find(Filter filter, Long before, int limit) {
        List<AuditEntry> newest = new ArrayList<>(audit);
        java.util.Collections.reverse(newest);
        return newest.stream().filter(e -> before == null || e.id() < before).limit(limit).toList();
    }
}
