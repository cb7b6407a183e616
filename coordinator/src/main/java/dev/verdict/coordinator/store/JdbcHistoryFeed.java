package dev.verdict.coordinator.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.coordinator.metrics.VerdictMetrics;
import dev.verdict.coordinator.model.HistoryEntry;
import dev.verdict.coordinator.port.HistoryFeed;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The history table as a feed. Every read walks the primary key from an id, so its cost is the
 * rows it returns (plus, with a filter, the rows it skips up to {@code upTo}), however long the
 * table. A transaction filter is applied by the query; the others to the entries of the rows read,
 * since a row holds entries of several participants and kinds ({@link HistoryRows}).
 */
public final class JdbcHistoryFeed implements HistoryFeed {

    private static final String ROWS = "select " + HistoryRows.COLUMNS + " from transaction_history"
            + " where last_id > ? and first_id <= ?";

    private final Jdbc jdbc;
    private final HistoryRows rows;

    public JdbcHistoryFeed(DataSource dataSource, ObjectMapper json, VerdictMetrics metrics) {
        this.jdbc = new Jdbc(dataSource, metrics);
        this.rows = new HistoryRows(json);
    }

    @Override
    public List<HistoryEntry> after(long afterId, long upTo, Filter filter, int limit) {
        String sql = ROWS + (filter.transactions().isEmpty() ? "" : " and transaction_id = any(?)") + " order by last_id limit ?";
        List<HistoryEntry> found = new ArrayList<>();
        long from = afterId;
        while (true) {
            long rowsAfter = from;
            List<List<HistoryEntry>> page = jdbc.query(sql, s -> {
                s.setLong(1, rowsAfter);
                s.setLong(2, upTo);
                int i = 3;
                if (!filter.transactions().isEmpty()) {
                    s.setArray(i++, s.getConnection().createArrayOf("varchar", filter.transactions().toArray()));
                }
                s.setInt(i, limit); // every row holds at least one entry
            }, rows::read);
            for (List<HistoryEntry> row : page) {
                for (HistoryEntry e : row) {
                    if (e.id() > upTo) {
                        return found; // rows come in id order: nothing further is in range
                    }
                    if (e.id() > afterId && filter.matches(e)) {
                        found.add(e);
                        if (found.size() == limit) {
                            return found;
                        }
                    }
                }
                from = row.get(row.size() - 1).id();
            }
            if (page.size() < limit) {
                return found;
            }
        }
    }

    @Override
    public long newest() {
        return jdbc.count("select coalesce(max(last_id), 0) from transaction_history", s -> { });
    }
}
