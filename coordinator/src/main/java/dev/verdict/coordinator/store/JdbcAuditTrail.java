package dev.verdict.coordinator.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.coordinator.metrics.VerdictMetrics;
import dev.verdict.coordinator.model.AuditEntry;
import dev.verdict.coordinator.port.AuditTrail;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The audit log in PostgreSQL; a trigger (V6) refuses any update or delete of its rows. */
public final class JdbcAuditTrail implements AuditTrail {

    private static final String COLUMNS = "id, at, node, actor, action, transaction_id, participant, reason, detail";

    private final Jdbc jdbc;
    private final DetailColumn details;

    public JdbcAuditTrail(DataSource dataSource, ObjectMapper json, VerdictMetrics metrics) {
        this.jdbc = new Jdbc(dataSource, metrics);
        this.details = new DetailColumn(json);
    }

    @Override
    public AuditEntry append(AuditEntry entry) {
        return jdbc.inTransaction(c -> insert(c, entry));
    }

    @Override
    public Optional<AuditEntry> acknowledgeHeuristic(AuditEntry entry) {
        return jdbc.inTransaction(c -> {
            try (PreparedStatement s = c.prepareStatement("update transaction_log set acknowledged_at = ?,"
                    + " acknowledged_by = ?, acknowledgement = ? where id = ? and " + LogRows.UNACKNOWLEDGED_HEURISTIC)) {
                s.setTimestamp(1, Timestamp.from(entry.at()));
                s.setString(2, entry.actor());
                s.setString(3, entry.reason());
                s.setString(4, entry.transactionId());
                jdbc.counted();
                if (s.executeUpdate() == 0) {
                    return Optional.empty();
                }
            }
            return Optional.of(insert(c, entry));
        });
    }

    private AuditEntry insert(Connection c, AuditEntry e) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("insert into audit_log (at, node, actor, action, transaction_id,"
                + " participant, reason, detail) values (?, ?, ?, ?, ?, ?, ?, ?::jsonb) returning id")) {
            s.setTimestamp(1, Timestamp.from(e.at()));
            s.setString(2, e.node());
            s.setString(3, e.actor());
            s.setString(4, e.action());
            s.setString(5, e.transactionId());
            s.setString(6, e.participant());
            s.setString(7, e.reason());
            s.setString(8, details.write(e.detail()));
            jdbc.counted();
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return e.withId(r.getLong(1));
            }
        }
    }

    @Override
    public List<AuditEntry> find(Filter f, Long before, int limit) {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from audit_log where true");
        List<Object> args = new ArrayList<>();
        where(sql, args, "actor = ?", f.actor());
        where(sql, args, "action = ?", f.action());
        where(sql, args, "transaction_id = ?", f.transactionId());
        where(sql, args, "participant = ?", f.participant());
        where(sql, args, "at >= ?", f.since() == null ? null : Timestamp.from(f.since()));
        where(sql, args, "at < ?", f.until() == null ? null : Timestamp.from(f.until()));
        where(sql, args, "id < ?", before);
        sql.append(" order by id desc limit ?");
        args.add(limit);
        return jdbc.query(sql.toString(), s -> {
            for (int i = 0; i < args.size(); i++) {
                s.setObject(i + 1, args.get(i));
            }
        }, this::read);
    }

    private static void where(StringBuilder sql, List<Object> args, String condition, Object value) {
        if (value != null) {
            sql.append(" and ").append(condition);
            args.add(value);
        }
    }

    private AuditEntry read(ResultSet r) throws SQLException {
        return new AuditEntry(r.getLong("id"), r.getTimestamp("at").toInstant(), r.getString("node"), r.getString("actor"),
                r.getString("action"), r.getString("transaction_id"), r.getString("participant"), r.getString("reason"),
                details.read(r.getString("detail")));
    }

}
