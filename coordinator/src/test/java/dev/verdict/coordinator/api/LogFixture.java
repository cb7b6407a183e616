package dev.verdict.coordinator.api;

import dev.verdict.coordinator.core.TransactionIds;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

/** Rows written straight into the coordinator's tables, as an older run of the coordinator would have left them. */
final class LogFixture {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final DataSource db;

    LogFixture(DataSource db) {
        this.db = db;
    }

    /** A well-formed id minted at {@code at} by an incarnation of its own (no node known by it). */
    static String id(Instant at) {
        return TransactionIds.mint(TransactionIds.incarnation(RANDOM.nextLong()), at.toEpochMilli(), RANDOM.nextInt(),
                RANDOM.nextLong());
    }

    /** One transaction_log row; {@code completed} null for an unfinished one. */
    void row(String id, String state, String decision, Instant decided, Instant completed, Instant acknowledged,
             String owner, List<String> participants) throws SQLException {
        StringBuilder branches = new StringBuilder("[");
        for (String p : participants) {
            branches.append(branches.length() > 1 ? "," : "").append("{\"participant\":\"").append(p)
                    .append("\",\"state\":\"").append(completed == null ? "PREPARED" : "COMMITTED")
                    .append("\",\"attempts\":0,\"lastError\":null}");
        }
        Instant created = TransactionIds.mintedAt(id).orElseThrow();
        update("insert into transaction_log (id, state, decision, reason, branches, created_at, expires_at, decided_at,"
                + " completed_at, began_by, owner, acknowledged_at) values (?, ?, ?, null, ?::jsonb, ?, ?, ?, ?, 'key:client', ?, ?)",
                id, state, decision, branches.append(']').toString(), ts(created), ts(created.plusSeconds(60)), ts(decided),
                ts(completed), owner, ts(acknowledged));
    }

    void update(String sql, Object... params) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            s.executeUpdate();
        }
    }

    long count(String sql, Object... params) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            try (var r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    static Timestamp ts(Instant at) {
        return at == null ? null : Timestamp.from(at);
    }
}
