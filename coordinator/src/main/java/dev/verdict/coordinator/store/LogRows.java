package dev.verdict.coordinator.store;

import dev.verdict.coordinator.core.Outcome;
import dev.verdict.coordinator.core.Transaction;
import dev.verdict.coordinator.core.TransactionState;
import dev.verdict.coordinator.model.StoredTransaction;
import dev.verdict.coordinator.port.TransactionQueries.Logged;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;

/** One {@code transaction_log} row to and from the model. */
final class LogRows {

    static final String COLUMNS = "id, state, decision, reason, branches, created_at, expires_at, decided_at, completed_at,"
            + " began_by, owner";

    private final BranchesColumn branches;

    LogRows(BranchesColumn branches) {
        this.branches = branches;
    }

    Logged read(ResultSet r) throws SQLException {
        String decision = r.getString("decision");
        Transaction tx = new Transaction(r.getString("id"), TransactionState.valueOf(r.getString("state")),
                decision == null ? null : Outcome.valueOf(decision), r.getString("reason"), branches.read(r.getString("branches")));
        StoredTransaction stored = new StoredTransaction(tx, instant(r, "created_at"), instant(r, "expires_at"),
                instant(r, "decided_at"), instant(r, "completed_at"), null, r.getString("began_by"));
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
