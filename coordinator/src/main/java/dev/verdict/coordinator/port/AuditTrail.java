package dev.verdict.coordinator.port;

import dev.verdict.coordinator.model.AuditEntry;
import java.time.Instant;
import java.util.List;

/** The operators' append-only audit log, and the one operator change that lives only in the log. Blocking. */
public interface AuditTrail {

    /** Appends and returns the entry with its id. */
    AuditEntry append(AuditEntry entry);

    /**
     * Marks a heuristic outcome as reconciled and appends the entry, in one database transaction;
     * empty, with nothing written, when the transaction is not an unacknowledged heuristic one.
     */
    java.util.Optional<AuditEntry> acknowledgeHeuristic(AuditEntry entry);

    /**
     * Newest first; every filter may be null.
     *
     * @param before only entries with a smaller id (the paging cursor); null for the newest
     */
    List<AuditEntry> find(Filter filter, Long before, int limit);

    record Filter(String actor, String action, String transactionId, String participant, Instant since, Instant until) {}
}
