package dev.verdict.coordinator.store;

import dev.verdict.coordinator.core.TransactionIds;
import dev.verdict.coordinator.metrics.VerdictMetrics;
import dev.verdict.coordinator.port.LogRetention;
import dev.verdict.coordinator.port.StoreUnavailable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Retention's deletes. Each is one autocommitted statement over at most {@code batch} rows picked
 * by an index ({@code select … limit} inside the delete), so no prune holds many row locks or a
 * long transaction. The audit log is never touched (its trigger would refuse anyway).
 */
public final class JdbcRetention implements LogRetention {

    /** An arbitrary constant: the session-level advisory lock that makes one node prune at a time. */
    private static final long LOCK = 0x5645_5244_4943_5401L;

    /**
     * A finished record retention may delete: a completed commit, or an acknowledged heuristic
     * outcome. Never an unfinished one, and never a fence (the only ROLLED_BACK rows: presumed abort
     * writes no other): a fence is what refuses the commit of a node that was declared dead and
     * wakes up, however late, to write the decision it had pending (I8). Fences are rare: one per
     * undecided transaction of a dead node that someone asked about.
     */
    private static final String TRANSACTIONS = "delete from transaction_log where id in (select id from transaction_log"
            + " where id < ? and ((state = 'COMMITTED' and completed_at < ?) or (state = 'HEURISTIC' and acknowledged_at < ?))"
            + " order by id limit ?)";
    /** Participants' events (no transaction) go by age; a transaction's only once it is not unfinished on record. */
    private static final String HISTORY = "delete from transaction_history where last_id in (select h.last_id from transaction_history h"
            + " where h.at < ? and (h.transaction_id is null or not exists (select 1 from transaction_log t"
            + " where t.id = h.transaction_id and (t.completed_at is null or (t.state = 'HEURISTIC' and t.acknowledged_at is null))))"
            + " order by h.at limit ?)";
    private static final String NODES = "delete from coordinator_node where node_id in (select node_id from coordinator_node"
            + " where died_at < ? and heartbeat_at = '-infinity' order by died_at limit ?)";
    private static final String PARTICIPANTS = "delete from participant where name in (select name from participant"
            + " where deregistered_at < ? order by deregistered_at limit ?)";

    private final DataSource dataSource;
    private final Jdbc jdbc;

    public JdbcRetention(DataSource dataSource, VerdictMetrics metrics) {
        this.dataSource = dataSource;
        this.jdbc = new Jdbc(dataSource, metrics);
    }

    /** The lock lives in a session of its own, held while {@code work} runs its statements on others. */
    @Override
    public <T> Optional<T> exclusively(Supplier<T> work) {
        try (Connection c = dataSource.getConnection()) {
            if (!advisory(c, "select pg_try_advisory_lock(?)")) {
                return Optional.empty();
            }
            try {
                return Optional.of(work.get());
            } finally {
                advisory(c, "select pg_advisory_unlock(?)");
            }
        } catch (SQLException e) {
            throw new StoreUnavailable("pruning lock", e);
        }
    }

    private static boolean advisory(Connection c, String sql) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, LOCK);
            try (ResultSet r = s.executeQuery()) {
                return r.next() && r.getBoolean(1);
            }
        }
    }

    @Override
    public int pruneTransactions(Instant finishedBefore, Instant mintedBefore, int batch) {
        return jdbc.update(TRANSACTIONS, s -> {
            s.setString(1, TransactionIds.timePrefix(mintedBefore));
            s.setObject(2, finishedBefore.atOffset(ZoneOffset.UTC));
            s.setObject(3, finishedBefore.atOffset(ZoneOffset.UTC));
            s.setInt(4, batch);
        });
    }

    @Override
    public int pruneHistory(Instant before, int batch) {
        return jdbc.update(HISTORY, s -> {
            s.setObject(1, before.atOffset(ZoneOffset.UTC));
            s.setInt(2, batch);
        });
    }

    @Override
    public int pruneNodes(Instant diedBefore, int batch) {
        return jdbc.update(NODES, s -> {
            s.setObject(1, diedBefore.atOffset(ZoneOffset.UTC));
            s.setInt(2, batch);
        });
    }

    @Override
    public int pruneParticipants(Instant deregisteredBefore, int batch) {
        return jdbc.update(PARTICIPANTS, s -> {
            s.setObject(1, deregisteredBefore.atOffset(ZoneOffset.UTC));
            s.setInt(2, batch);
        });
    }
}
