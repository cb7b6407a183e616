package dev.verdict.coordinator.store;

import dev.verdict.coordinator.metrics.VerdictMetrics;
import dev.verdict.coordinator.model.StoredTransaction;
import dev.verdict.coordinator.port.StoreUnavailable;
import dev.verdict.coordinator.port.TransactionLog;
import dev.verdict.protocol.Outcome;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * The log's writes in plain JDBC: a whole group in one statement, autocommitted, so one database
 * transaction and one WAL flush per group whatever its size. Each column travels as one array
 * parameter and {@code unnest} turns the arrays back into rows, so a single prepared statement
 * serves every group size. Decisions insert where no record exists ({@code on conflict do
 * nothing}); completions update their decision's record, never changing the decision on it.
 *
 * <p>The {@code log} datasource's sessions run with {@code synchronous_commit = on}: the commit
 * returns once the group is on disk.
 */
public final class JdbcTransactionLog implements TransactionLog {

    private static final String ROWS = "unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],"
            + " ?::text[], ?::text[], ?::text[]) as r(id, state, decision, reason, branches, created_at, expires_at, decided_at,"
            + " completed_at, began_by)";
    private static final String VALUES = "select r.id, r.state, r.decision, r.reason, r.branches::jsonb, r.created_at::timestamptz,"
            + " r.expires_at::timestamptz, r.decided_at::timestamptz, r.completed_at::timestamptz, r.began_by, ?::text from " + ROWS;
    private static final String WRITE = "with decided as ("
            + "insert into transaction_log (" + LogRows.COLUMNS + ") " + VALUES + " on conflict (id) do nothing returning id),"
            + " completed as ("
            + "insert into transaction_log (" + LogRows.COLUMNS + ") " + VALUES
            + " on conflict (id) do update set state = excluded.state, branches = excluded.branches,"
            + " completed_at = excluded.completed_at, reason = coalesce(transaction_log.reason, excluded.reason)"
            + " where transaction_log.decision = excluded.decision returning id)"
            + " select id from decided";
    private static final String EXISTING = "select id, decision from transaction_log where id = any(?::text[])";

    private final DataSource dataSource;
    private final LogRows rows;
    private final VerdictMetrics metrics;

    public JdbcTransactionLog(DataSource dataSource, com.fasterxml.jackson.databind.ObjectMapper json, VerdictMetrics metrics) {
        this.dataSource = dataSource;
        this.rows = new LogRows(new BranchesColumn(json));
        this.metrics = metrics;
    }

    @Override
    public Map<String, Outcome> write(List<StoredTransaction> decisionList, List<StoredTransaction> completionList,
                                      String owner) {
        // One statement may not update a row twice ("ON CONFLICT DO UPDATE cannot affect row a second
        // time"): of two completions of one transaction in a group, the later one stands. (Decisions
        // never repeat within a group: the log writer keeps a second one for the next.)
        List<StoredTransaction> decisions = decisionList;
        List<StoredTransaction> completions = lastPerId(completionList);
        try (Connection c = dataSource.getConnection()) {
            Set<String> inserted = new HashSet<>();
            try (PreparedStatement s = c.prepareStatement(WRITE)) {
                int next = bind(c, s, 1, decisions, owner);
                bind(c, s, next, completions, owner);
                count();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        inserted.add(r.getString(1));
                    }
                }
            }
            if (inserted.size() == decisions.size()) {
                return Map.of();
            }
            return existing(c, decisions.stream().map(StoredTransaction::id).filter(id -> !inserted.contains(id)).toList());
        } catch (SQLException e) {
            throw new StoreUnavailable("could not write " + (decisions.size() + completions.size()) + " log record(s)", e);
        }
    }

    private static List<StoredTransaction> lastPerId(List<StoredTransaction> records) {
        Map<String, StoredTransaction> byId = new LinkedHashMap<>();
        records.forEach(r -> byId.put(r.id(), r));
        return byId.size() == records.size() ? records : List.copyOf(byId.values());
    }

    /** The outcomes already on record for decisions that met an existing row. */
    private Map<String, Outcome> existing(Connection c, List<String> ids) throws SQLException {
        Map<String, Outcome> found = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement(EXISTING)) {
            s.setArray(1, c.createArrayOf("text", ids.toArray()));
            count();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    found.put(r.getString(1), Outcome.valueOf(r.getString(2)));
                }
            }
        }
        if (found.size() != ids.size()) {
            throw new SQLException("decision records neither inserted nor found: " + ids);
        }
        return found;
    }

    /** Binds the owner and one group of rows as ten column arrays; returns the next parameter index. */
    private int bind(Connection c, PreparedStatement s, int first, List<StoredTransaction> txs, String owner) throws SQLException {
        int i = first;
        s.setString(i++, owner); // the select list comes before unnest's arrays
        s.setArray(i++, column(c, txs, StoredTransaction::id));
        s.setArray(i++, column(c, txs, t -> t.tx().state().name()));
        s.setArray(i++, column(c, txs, t -> t.tx().decision() == null ? null : t.tx().decision().name()));
        s.setArray(i++, column(c, txs, t -> t.tx().reason()));
        s.setArray(i++, column(c, txs, rows::branches));
        s.setArray(i++, column(c, txs, t -> LogRows.text(t.createdAt())));
        s.setArray(i++, column(c, txs, t -> LogRows.text(t.expiresAt())));
        s.setArray(i++, column(c, txs, t -> LogRows.text(t.decidedAt())));
        s.setArray(i++, column(c, txs, t -> LogRows.text(t.completedAt())));
        s.setArray(i++, column(c, txs, StoredTransaction::beganBy));
        return i;
    }

    private static Array column(Connection c, List<StoredTransaction> txs, Function<StoredTransaction, String> value)
            throws SQLException {
        String[] values = new String[txs.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = value.apply(txs.get(i));
        }
        return c.createArrayOf("text", values);
    }

    private void count() {
        metrics.statement();
        metrics.databaseTransaction();
    }
}
