package dev.verdict.coordinator.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.coordinator.metrics.VerdictMetrics;
import dev.verdict.coordinator.model.HistoryEntry;
import dev.verdict.coordinator.port.HistoryLog;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import javax.sql.DataSource;

/**
 * History in PostgreSQL: a batch is one transaction of two statements, the lock and one insert of
 * arrays. The lock serialises batches of every node: ids are drawn by one batch at a time and
 * become visible in the order drawn, which is what lets the event stream page by id.
 */
public final class JdbcHistory implements HistoryLog {

    /** Any constant; only history batches take it. */
    private static final long ORDER_LOCK = 0x7665726469637401L;
    static final String COLUMNS = "id, transaction_id, at, node, kind, participant, detail";

    private final Jdbc jdbc;
    private final DetailColumn details;

    public JdbcHistory(DataSource dataSource, ObjectMapper json, VerdictMetrics metrics) {
        this.jdbc = new Jdbc(dataSource, metrics);
        this.details = new DetailColumn(json);
    }

    @Override
    public void append(List<HistoryEntry> batch) {
        int n = batch.size();
        String[] tx = new String[n], node = new String[n], kind = new String[n], participant = new String[n], detail = new String[n];
        Timestamp[] at = new Timestamp[n];
        for (int i = 0; i < n; i++) {
            HistoryEntry e = batch.get(i);
            tx[i] = e.transactionId();
            at[i] = Timestamp.from(e.at());
            node[i] = e.node();
            kind[i] = e.kind();
            participant[i] = e.participant();
            detail[i] = details.write(e.detail());
        }
        jdbc.inTransaction(c -> {
            try (PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(?)")) {
                lock.setLong(1, ORDER_LOCK);
                lock.execute();
                jdbc.counted();
            }
            try (PreparedStatement insert = c.prepareStatement("insert into transaction_history"
                    + " (transaction_id, at, node, kind, participant, detail) select * from unnest(?::varchar[],"
                    + " ?::timestamptz[], ?::varchar[], ?::varchar[], ?::varchar[], ?::jsonb[])")) {
                insert.setArray(1, c.createArrayOf("varchar", tx));
                insert.setArray(2, c.createArrayOf("timestamptz", at));
                insert.setArray(3, c.createArrayOf("varchar", node));
                insert.setArray(4, c.createArrayOf("varchar", kind));
                insert.setArray(5, c.createArrayOf("varchar", participant));
                insert.setArray(6, c.createArrayOf("varchar", detail));
                insert.executeUpdate();
                jdbc.counted();
            }
            return null;
        });
    }

    @Override
    public List<HistoryEntry> of(String transactionId, int limit) {
        return jdbc.query("select " + COLUMNS + " from transaction_history where transaction_id = ? order by id limit ?", s -> {
            s.setString(1, transactionId);
            s.setInt(2, limit);
        }, this::read);
    }

    HistoryEntry read(ResultSet r) throws SQLException {
        return new HistoryEntry(r.getLong("id"), r.getString("transaction_id"), r.getTimestamp("at").toInstant(),
                r.getString("node"), r.getString("kind"), r.getString("participant"), details.read(r.getString("detail")));
    }
}
