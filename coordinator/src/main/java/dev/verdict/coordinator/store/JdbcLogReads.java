package dev.verdict.coordinator.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.coordinator.metrics.VerdictMetrics;
import dev.verdict.coordinator.model.StoredTransaction;
import dev.verdict.coordinator.port.RecoveryScan;
import dev.verdict.coordinator.port.TransactionQueries;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Reads of the transaction log, for recovery and operators. The partial indexes keep them cheap
 * however many finished rows the table holds: unfinished rows by owner, unacknowledged heuristic
 * ones by decision time (V3, V6); counts stop at {@link #COUNT_CAP}. docs/performance.md measures
 * them on 1,000,000 rows.
 */
public final class JdbcLogReads implements RecoveryScan, TransactionQueries {

    /** The owner of {@code t} has not heartbeated within the node timeout (seconds, parameter). */
    private static final String OWNER_DEAD = "not exists (select 1 from coordinator_node n where n.node_id = t.owner"
            + " and n.heartbeat_at >= now() - make_interval(secs => ?))";

    /**
     * Where the status's counts stop: each is a walk of a partial index, cheap while the set is
     * small, and an operator facing more than this many needs the search, not the exact figure.
     */
    public static final int COUNT_CAP = 10_000;

    /** A heuristic outcome no operator has acknowledged: what V6's partial index holds. */
    private static final String HEURISTIC = LogRows.UNACKNOWLEDGED_HEURISTIC;

    // The status's reads; package-private for the plan test and the 1,000,000-row benchmark.
    static final String HEURISTIC_LIST = "select " + LogRows.READ_COLUMNS + " from transaction_log where " + HEURISTIC
            + " order by decided_at limit ?";
    static final String HEURISTIC_COUNT = "select count(*) from (select 1 from transaction_log where " + HEURISTIC
            + " limit ?) c";
    static final String ORPHANED_LIST = "select " + LogRows.READ_COLUMNS + " from transaction_log t where t.completed_at is null and "
            + OWNER_DEAD + " order by t.decided_at limit ?";
    static final String ORPHANED_COUNT = "select count(*) from (select 1 from transaction_log t where t.completed_at is null and "
            + OWNER_DEAD + " limit ?) c";

    private final Jdbc jdbc;
    private final LogRows rows;

    public JdbcLogReads(DataSource dataSource, ObjectMapper json, VerdictMetrics metrics) {
        this.jdbc = new Jdbc(dataSource, metrics);
        this.rows = new LogRows(new BranchesColumn(json));
    }

    @Override
    public List<StoredTransaction> claimOrphans(String node, int limit) {
        // SKIP LOCKED: nodes claiming at the same moment take disjoint rows.
        String sql = "update transaction_log set owner = ? where id in (select t.id from transaction_log t"
                + " where t.completed_at is null and t.owner is distinct from ? and not exists (select 1 from"
                + " coordinator_node n where n.node_id = t.owner and n.heartbeat_at > '-infinity')"
                + " order by t.decided_at limit ? for update skip locked) returning " + LogRows.READ_COLUMNS;
        return jdbc.query(sql, s -> {
            s.setString(1, node);
            s.setString(2, node);
            s.setInt(3, limit);
        }, r -> rows.read(r).tx());
    }

    @Override
    public List<StoredTransaction> unfinishedOwnedBy(String node, Instant decidedBefore, int limit) {
        return jdbc.query("select " + LogRows.READ_COLUMNS + " from transaction_log where completed_at is null and owner = ?"
                + " and decided_at < ? order by decided_at limit ?", s -> {
                    s.setString(1, node);
                    s.setObject(2, decidedBefore.atOffset(java.time.ZoneOffset.UTC));
                    s.setInt(3, limit);
                }, r -> rows.read(r).tx());
    }

    @Override
    public Optional<Logged> find(String id) {
        return jdbc.query("select " + LogRows.READ_COLUMNS + " from transaction_log where id = ?", s -> s.setString(1, id), rows::read)
                .stream().findFirst();
    }

    @Override
    public List<StoredTransaction> heuristic(int limit) {
        return jdbc.query(HEURISTIC_LIST, s -> s.setInt(1, limit), r -> rows.read(r).tx());
    }

    @Override
    public long countHeuristic() {
        return jdbc.count(HEURISTIC_COUNT, s -> s.setInt(1, COUNT_CAP));
    }

    @Override
    public List<StoredTransaction> orphaned(Duration nodeTimeout, int limit) {
        return jdbc.query(ORPHANED_LIST, s -> {
                    s.setDouble(1, seconds(nodeTimeout));
                    s.setInt(2, limit);
                }, r -> rows.read(r).tx());
    }

    @Override
    public long countOrphaned(Duration nodeTimeout) {
        return jdbc.count(ORPHANED_COUNT, s -> {
                    s.setDouble(1, seconds(nodeTimeout));
                    s.setInt(2, COUNT_CAP);
                });
    }

    @Override
    public long unfinishedWith(String participant) {
        return jdbc.count("select count(*) from transaction_log where completed_at is null"
                + " and branches @> jsonb_build_array(jsonb_build_object('participant', ?::text))", s -> s.setString(1, participant));
    }

    @Override
    public void ping() {
        jdbc.count("select 1", s -> { });
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
