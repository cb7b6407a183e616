package dev.verdict.coordinator.store;

import dev.verdict.coordinator.core.Transaction;
import dev.verdict.coordinator.core.TransactionState;
import dev.verdict.coordinator.model.Acknowledgement;
import dev.verdict.coordinator.model.StoredTransaction;
import dev.verdict.coordinator.port.TransactionQueries.Logged;
import dev.verdict.protocol.Outcome;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;

/** One {@code transaction_log} row to and from the model. */
final class LogRows {

    static final String COLUMNS = "id, state, decision, reason, branches, created_at, expires_at, decided_at, completed_at,"
            + " began_by, owner";
    /** What reads select: the written columns and an operator's acknowledgement, which only {@code JdbcAuditTrail} writes. */
    /** A heuristic outcome no operator has acknowledged yet: exactly V6's partial index {@code transaction_log_heuristic}. */
    static final String UNACKNOWLEDGED_HEURISTIC = "state = 'HEURISTIC' and acknowledged_at is null";
    static final String READ_COLUMNS = COLUMNS + ", acknowledged_at, acknowledged_by, acknowledgement";

    private final BranchesColumn branches;

    LogRows(BranchesColumn branches) {
        this.branches = branches;
    }

    Logged read(ResultSet r) throws SQLException {
        String decision = r.getString("decision");
        Transaction tx = new Transaction(r.getString("id"), TransactionState.valueOf(r.getString("state")),
                decision == null ? null : Outcome.valueOf(decision), r.getString("reason"), branches.read(r.getString("branches")));
        Instant acknowledgedAt = instant(r, "acknowledged_at");
        Acknowledgement acknowledged = acknowledgedAt == null ? null
                : new Acknowledgement(acknowledgedAt, r.getString("acknowledged_by"), r.getString("acknowledgement"));
        StoredTransaction stored = new StoredTransaction(tx, instant(r, "created_at"), instant(r, "expires_at"),
                instant(r, "decided_at"), instant(r, "completed_at"), null, r.getString("began_by"), acknowledged);
        return new Logged(stored, r.getString("owner"));
    }

    String branches(StoredTransaction tx) {
        return branches.write(tx.tx().branches());
    }

    static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static Instant instant(ResultSet r, String column) throws SQLException {
        OffsetDateTime t = r.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
