package dev.verdict.coordinator.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.coordinator.metrics.VerdictMetrics;
import dev.verdict.coordinator.model.HistoryEntry;
import dev.verdict.coordinator.port.HistoryFeed;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The history table as a feed. Every read walks the primary key from an id, so its cost is the
 * rows it returns (plus, with a filter, the rows it skips up to {@code upTo}), however long the table.
 */
public final class JdbcHistoryFeed implements HistoryFeed {

    private static final TypeReference<Map<String, Object>> DETAIL = new TypeReference<>() {};

    private final Jdbc jdbc;
    private final ObjectMapper json;

    public JdbcHistoryFeed(DataSource dataSource, ObjectMapper json, VerdictMetrics metrics) {
        this.jdbc = new Jdbc(dataSource, metrics);
        this.json = json;
    }

    @Override
    public List<HistoryEntry> after(long afterId, long upTo, Filter filter, int limit) {
        StringBuilder sql = new StringBuilder("select id, transaction_id, at, node, kind, participant, detail::text"
                + " from transaction_history where id > ? and id <= ?");
        List<Set<String>> sets = new ArrayList<>();
        condition(sql, sets, "transaction_id", filter.transactions());
        condition(sql, sets, "participant", filter.participants());
        condition(sql, sets, "kind", filter.kinds());
        sql.append(" order by id limit ?");
        return jdbc.query(sql.toString(), s -> {
            s.setLong(1, afterId);
            s.setLong(2, upTo);
            int i = 3;
            for (Set<String> set : sets) {
                s.setArray(i++, s.getConnection().createArrayOf("varchar", set.toArray()));
            }
            s.setInt(i, limit);
        }, this::entry);
    }

    private static void condition(StringBuilder sql, List<Set<String>> sets, String column, Set<String> values) {
        if (!values.isEmpty()) {
            sql.append(" and ").append(column).append(" = any(?)");
            sets.add(values);
        }
    }

    @Override
    public long newest() {
        return jdbc.count("select coalesce(max(id), 0) from transaction_history", s -> { });
    }

    private HistoryEntry entry(ResultSet r) throws SQLException {
        Map<String, Object> detail;
        try {
            detail = json.readValue(r.getString(7), DETAIL);
        } catch (JsonProcessingException e) {
            throw new SQLException("history entry " + r.getLong(1) + " has a detail that is not a JSON object", e);
        }
        return new HistoryEntry(r.getLong(1), r.getString(2), r.getObject(3, OffsetDateTime.class).toInstant(), r.getString(4),
                r.getString(5), r.getString(6), detail);
    }
}
