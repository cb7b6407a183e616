package dev.verdict.coordinator.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.coordinator.metrics.VerdictMetrics;
import dev.verdict.coordinator.model.HistoryEntry;
import dev.verdict.coordinator.port.HistoryLog;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * History in PostgreSQL, as rows of grouped entries ({@link HistoryRows}). A batch is one
 * transaction of two statements: one takes the lock and draws the batch's ids, one inserts every
 * row as arrays. The lock serialises batches of every node: ids are drawn by one batch at a time
 * and become visible in the order drawn, which is what lets the event stream page by id.
 */
public final class JdbcHistory implements HistoryLog {

    /** Any constant; only history batches take it. */
    private static final long ORDER_LOCK = 0x7665726469637401L;
    /**
     * Locks, then reserves as many ids as the batch has entries and answers the last. The lock
     * is taken in a subquery: a volatile function there runs before the outer select's.
     */
    private static final String DRAW_IDS = "select setval('transaction_history_entry_id',"
            + " nextval('transaction_history_entry_id') + ? - 1) from (select pg_advisory_xact_lock(?)) locked";
    private static final String INSERT = "insert into transaction_history (first_id, last_id, transaction_id, node, at,"
            + " entries) select * from unnest(?::bigint[], ?::bigint[], ?::varchar[], ?::varchar[], ?::timestamptz[],"
            + " ?::json[])";

    private final Jdbc jdbc;
    private final HistoryRows rows;

    public JdbcHistory(DataSource dataSource, ObjectMapper json, VerdictMetrics metrics) {
        this.jdbc = new Jdbc(dataSource, metrics);
        this.rows = new HistoryRows(json);
    }

    @Override
    public List<HistoryEntry> append(List<HistoryEntry> batch) {
        List<List<HistoryEntry>> grouped = HistoryRows.group(batch);
        int n = grouped.size();
        String[] tx = new String[n], node = new String[n], entries = new String[n];
        Timestamp[] at = new Timestamp[n];
        for (int i = 0; i < n; i++) {
            List<HistoryEntry> row = grouped.get(i);
            HistoryEntry newest = row.get(row.size() - 1);
            tx[i] = newest.transactionId();
            node[i] = newest.node();
            at[i] = Timestamp.from(newest.at());
            entries[i] = rows.write(row);
        }
        long lastId = jdbc.inTransaction(c -> {
            long last;
            try (PreparedStatement draw = c.prepareStatement(DRAW_IDS)) {
                draw.setInt(1, batch.size());
                draw.setLong(2, ORDER_LOCK);
                try (ResultSet r = draw.executeQuery()) {
                    r.next();
                    last = r.getLong(1);
                }
                jdbc.counted();
            }
            Long[] first = new Long[n], lastOfRow = new Long[n];
            long next = last - batch.size() + 1;
            for (int i = 0; i < n; i++) {
                first[i] = next;
                next += grouped.get(i).size();
                lastOfRow[i] = next - 1;
            }
            try (PreparedStatement insert = c.prepareStatement(INSERT)) {
                insert.setArray(1, c.createArrayOf("bigint", first));
                insert.setArray(2, c.createArrayOf("bigint", lastOfRow));
                insert.setArray(3, c.createArrayOf("varchar", tx));
                insert.setArray(4, c.createArrayOf("varchar", node));
                insert.setArray(5, c.createArrayOf("timestamptz", at));
                insert.setArray(6, c.createArrayOf("varchar", entries));
                insert.executeUpdate();
                jdbc.counted();
            }
            return last;
        });
        List<HistoryEntry> stored = new ArrayList<>(batch.size());
        long id = lastId - batch.size() + 1;
        for (List<HistoryEntry> row : grouped) {
            for (HistoryEntry e : row) {
                stored.add(new HistoryEntry(id++, e.transactionId(), e.at(), e.node(), e.kind(), e.participant(), e.detail()));
            }
        }
        return stored;
    }

    @Override
    public List<HistoryEntry> of(String transactionId, int limit) {
        // Every row holds at least one entry: limit rows are enough for limit entries.
        List<List<HistoryEntry>> found = jdbc.query("select " + HistoryRows.COLUMNS + " from transaction_history"
                + " where transaction_id = ? order by last_id limit ?", s -> {
                    s.setString(1, transactionId);
                    s.setInt(2, limit);
                }, rows::read);
        List<HistoryEntry> entries = new ArrayList<>();
        for (List<HistoryEntry> row : found) {
            for (HistoryEntry e : row) {
                if (entries.size() == limit) {
                    return entries;
                }
                entries.add(e);
            }
        }
        return entries;
    }
}
