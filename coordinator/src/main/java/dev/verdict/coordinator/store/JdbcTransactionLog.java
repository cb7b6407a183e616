package dev.verdict.coordinator.store;

import dev.verdict.coordinator.config.ThisNode;
import dev.verdict.coordinator.core.Durability;
import dev.verdict.coordinator.core.Outcome;
import dev.verdict.coordinator.core.Transaction;
import dev.verdict.coordinator.core.TransactionState;
import dev.verdict.coordinator.metrics.VerdictMetrics;
import dev.verdict.coordinator.model.StoredTransaction;
import dev.verdict.coordinator.port.TransactionLog;
import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The transaction log's hot path in plain JDBC: one statement per lazy write, and one short
 * database transaction for the forced one. Measured with the benchmark (docs/performance.md), this
 * replaced a Hibernate/JTA version whose lock-read-write took three statements plus transaction
 * overhead per step, and cost the coordinator and PostgreSQL most of their CPU.
 *
 * <p>Concurrency is optimistic: every row carries a version, and a write succeeds only on the
 * version it read ({@code UPDATE ... WHERE version = ?}). A writer that loses (another thread or
 * another coordinator got there first) re-reads and lets the protocol decide again on the fresh
 * state, so no two writers interleave, exactly as under a row lock. Rows this node wrote last are
 * kept in memory until finished, which saves the read on the common path; a stale copy cannot
 * do harm because its version no longer matches.
 *
 * <p>The {@code log} datasource's sessions default to {@code synchronous_commit = off}: lazy
 * writes return before the WAL flush. The forced write sets it on for its own transaction.
 */
@ApplicationScoped
public class JdbcTransactionLog implements TransactionLog {

    private static final String COLUMNS = "state, decision, reason, branches, created_at, expires_at, decided_at,"
            + " completed_at, due_at, owner";
    private static final String INSERT = "insert into transaction_log (" + COLUMNS + ", id, version)"
            + " values (?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, 0)";
    private static final String UPDATE = "update transaction_log set state = ?, decision = ?, reason = ?,"
            + " branches = ?::jsonb, created_at = ?, expires_at = ?, decided_at = ?, completed_at = ?, due_at = ?,"
            + " owner = ?, version = version + 1 where id = ? and version = ?";
    private static final String SELECT = "select " + COLUMNS + ", id, version from transaction_log where id = ?";

    /** A stored transaction and the row version it was read or written at. */
    private record Versioned(StoredTransaction tx, long version) {}

    @Inject
    @DataSource("log")
    AgroalDataSource dataSource;

    @Inject
    BranchesColumn branches;

    @Inject
    ThisNode node;

    @Inject
    VerdictMetrics metrics;

    /** Unfinished transactions this node wrote last. Finished ones leave; failures evict. */
    private final ConcurrentHashMap<String, Versioned> recent = new ConcurrentHashMap<>();

    @Override
    public void create(StoredTransaction tx) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(INSERT)) {
            bind(s, tx);
            s.setString(11, tx.id());
            metrics.statement();
            s.executeUpdate();
        } catch (SQLException e) {
            throw new LogUnavailable("could not record new transaction " + tx.id(), e);
        }
        metrics.databaseTransaction();
        metrics.written(Durability.LAZY);
        remember(new Versioned(tx, 0));
    }

    @Override
    public <R> Optional<R> modify(String id, Function<StoredTransaction, Change<R>> change) {
        while (true) {
            Versioned current = recent.get(id);
            if (current == null) {
                current = read(id);
                if (current == null) {
                    return Optional.empty();
                }
            }
            Change<R> c = change.apply(current.tx());
            if (c.next() == null || c.durability() == Durability.NONE) {
                return Optional.ofNullable(c.result());
            }
            boolean written;
            try {
                written = write(c.next(), current.version(), c.durability());
            } catch (SQLException e) {
                recent.remove(id); // it may or may not have been written: read before deciding again
                throw new LogUnavailable("could not record transaction " + id, e);
            }
            if (written) {
                metrics.written(c.durability()); // only now: the commit (and for FORCED, the flush) is done
                remember(new Versioned(c.next(), current.version() + 1));
                return Optional.ofNullable(c.result());
            }
            recent.remove(id, current); // someone else wrote first: decide again on what they wrote
        }
    }

    private void remember(Versioned v) {
        if (v.tx().tx().state().isTerminal()) {
            recent.remove(v.tx().id());
        } else {
            recent.put(v.tx().id(), v);
        }
    }

    /** @return false when the row is no longer at {@code version} */
    private boolean write(StoredTransaction tx, long version, Durability durability) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            if (durability != Durability.FORCED) {
                return update(c, tx, version); // one statement, autocommit, no flush wait
            }
            c.setAutoCommit(false);
            try {
                try (Statement s = c.createStatement()) {
                    metrics.statement();
                    s.execute("SET LOCAL synchronous_commit = on");
                }
                boolean updated = update(c, tx, version);
                c.commit(); // returns once the WAL holding the decision is flushed
                return updated;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private boolean update(Connection c, StoredTransaction tx, long version) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(UPDATE)) {
            bind(s, tx);
            s.setString(11, tx.id());
            s.setLong(12, version);
            metrics.statement();
            metrics.databaseTransaction();
            return s.executeUpdate() == 1;
        }
    }

    private Versioned read(String id) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(SELECT)) {
            s.setString(1, id);
            metrics.statement();
            metrics.databaseTransaction();
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? new Versioned(toModel(r), r.getLong("version")) : null;
            }
        } catch (SQLException e) {
            throw new LogUnavailable("could not read transaction " + id, e);
        }
    }

    private void bind(PreparedStatement s, StoredTransaction from) throws SQLException {
        Transaction tx = from.tx();
        s.setString(1, tx.state().name());
        s.setString(2, tx.decision() == null ? null : tx.decision().name());
        s.setString(3, tx.reason());
        s.setString(4, branches.write(tx.branches()));
        s.setObject(5, timestamp(from.createdAt()));
        s.setObject(6, timestamp(from.expiresAt()));
        s.setObject(7, timestamp(from.decidedAt()));
        s.setObject(8, timestamp(from.completedAt()));
        s.setObject(9, timestamp(from.dueAt()));
        s.setString(10, node.id()); // whoever writes a transaction is driving it
    }

    private StoredTransaction toModel(ResultSet r) throws SQLException {
        String decision = r.getString("decision");
        Transaction tx = new Transaction(r.getString("id"), TransactionState.valueOf(r.getString("state")),
                decision == null ? null : Outcome.valueOf(decision), r.getString("reason"), branches.read(r.getString("branches")));
        return new StoredTransaction(tx, instant(r, "created_at"), instant(r, "expires_at"), instant(r, "decided_at"),
                instant(r, "completed_at"), instant(r, "due_at"));
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet r, String column) throws SQLException {
        OffsetDateTime t = r.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool discards it
        }
    }

    /** The log database failed; whether the last write landed is unknown (see api/Problems). */
    static final class LogUnavailable extends RuntimeException {
        LogUnavailable(String message, SQLException cause) {
            super(message + ": " + cause.getMessage(), cause);
        }
    }
}
