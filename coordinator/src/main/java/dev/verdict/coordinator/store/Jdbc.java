package dev.verdict.coordinator.store;

import dev.verdict.coordinator.metrics.VerdictMetrics;
import dev.verdict.coordinator.port.StoreUnavailable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Small JDBC plumbing for the stores: one autocommitted statement per call, counted, failures as {@link StoreUnavailable}. */
final class Jdbc {

    interface Binder {
        void bind(PreparedStatement s) throws SQLException;
    }

    interface RowReader<T> {
        T read(ResultSet r) throws SQLException;
    }

    private final DataSource dataSource;
    private final VerdictMetrics metrics;

    Jdbc(DataSource dataSource, VerdictMetrics metrics) {
        this.dataSource = dataSource;
        this.metrics = metrics;
    }

    <T> List<T> query(String sql, Binder binder, RowReader<T> reader) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            binder.bind(s);
            count();
            List<T> rows = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.add(reader.read(r));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new StoreUnavailable("query failed", e);
        }
    }

    int update(String sql, Binder binder) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            binder.bind(s);
            count();
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new StoreUnavailable("update failed", e);
        }
    }

    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Several statements in one database transaction; rolled back if any fails. */
    <T> T inTransaction(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
                metrics.databaseTransaction();
            }
        } catch (SQLException e) {
            throw new StoreUnavailable("transaction failed", e);
        }
    }

    /** Counts a statement run inside {@link #inTransaction}. */
    void counted() {
        metrics.statement();
    }

    long count(String sql, Binder binder) {
        return query(sql, binder, r -> r.getLong(1)).get(0);
    }

    private void count() {
        metrics.statement();
        metrics.databaseTransaction();
    }
}
