package dev.verdict.coordinator.store;

import dev.verdict.coordinator.core.TransactionState;
import dev.verdict.coordinator.port.LogSearch;
import dev.verdict.protocol.Outcome;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * A realistic log of finished transactions, made in the database with {@code generate_series}, and
 * every operator query the coordinator sends against it (the search's filters, the status's reads),
 * each as the exact statement production sends, so its plan can be checked and timed.
 */
final class OperatorQueries {

    /** Crockford base32 of the creation time in ms, as TransactionIds mints it. */
    private static final String TIME_PREFIX = "(select string_agg(substr('0123456789abcdefghjkmnpqrstvwxyz',"
            + " ((ms >> (5 * (9 - k))) & 31)::int + 1, 1), '' order by k) from generate_series(0, 9) k)";

    /**
     * {@code rows} transactions created over the last 7 days, oldest first: 99.4 % COMMITTED with two
     * branches among 20 banks and 7 stock services, 0.2 % fences (ROLLED_BACK), 0.2 % HEURISTIC (half not
     * acknowledged); 1,000 of the newest 5,000 still COMMITTING (half owned by a dead node); one in 10,000 has a third
     * branch, participant {@code rare-svc}. Then VACUUM ANALYZE, as autovacuum would.
     */
    static void generate(DataSource dataSource, int rows) throws SQLException {
        String sql = "insert into transaction_log (id, state, decision, reason, branches, created_at, expires_at, decided_at,"
                + " completed_at, began_by, owner, acknowledged_at)"
                + " select " + TIME_PREFIX.replace("ms", "g.ms") + " || substr(md5(g.i::text), 1, 16) || '.nodeincarn00' || (g.i % 2),"
                + " g.state, case when g.state in ('ROLLED_BACK') then 'ROLLED_BACK' else 'COMMITTED' end,"
                + " case when g.state = 'ROLLED_BACK' then 'presumed abort: its coordinator node stopped' end,"
                + " jsonb_build_array(jsonb_build_object('participant', 'bank-' || (g.i % 20), 'state',"
                + "   case when g.state = 'HEURISTIC' then 'HEURISTIC_ROLLBACK' when g.state = 'COMMITTING' then 'PREPARED' else g.state end,"
                + "   'attempts', case when g.state = 'COMMITTING' then 3 else 0 end, 'lastError', null),"
                + "   jsonb_build_object('participant', 'stock-' || (g.i % 7), 'state', 'COMMITTED', 'attempts', 0, 'lastError', null))"
                + "   || case when g.i % 10000 = 5000 then jsonb_build_array(jsonb_build_object('participant', 'rare-svc',"
                + "   'state', 'COMMITTED', 'attempts', 0, 'lastError', null)) else '[]'::jsonb end,"
                + " g.at, g.at + interval '60 seconds', g.at + interval '40 milliseconds',"
                + " case when g.state = 'COMMITTING' then null else g.at + interval '90 milliseconds' end,"
                + " 'key:client', case when g.i % 2 = 0 then 'nodeincarn000' else 'deadincarn001' end,"
                + " case when g.state = 'HEURISTIC' and g.i % 1000 = 2 then g.at + interval '1 hour' end"
                + " from (select i, at, (extract(epoch from at) * 1000)::bigint as ms,"
                + "   case when i % 500 = 1 then 'ROLLED_BACK' when i % 500 = 2 then 'HEURISTIC'"
                + "        when i > ? - 5000 and i % 5 = 3 then 'COMMITTING' else 'COMMITTED' end as state"
                + "   from (select i, now() - interval '7 days' + (interval '7 days' * i / ?) as at"
                + "         from generate_series(1, ?) i) s) g";
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setInt(1, rows);
                s.setInt(2, rows);
                s.setInt(3, rows);
                s.executeUpdate();
            }
            try (Statement s = c.createStatement()) {
                s.execute("insert into coordinator_node (node_id, name, address, started_at, heartbeat_at)"
                        + " values ('nodeincarn000', 'live', 'http://127.0.0.1:9', now(), now() + interval '1 day')"
                        + " on conflict do nothing");
                s.execute("vacuum analyze"); // as autovacuum would: statistics, and GIN's pending list merged
            }
        }
    }

    /** One statement as production sends it, with its parameters. */
    record Named(String name, JdbcSearch.Query query) {}

    /** Every search filter, alone and in the combinations the console uses, and the status's reads. */
    static List<Named> catalogue(Instant now) {
        Map<String, LogSearch.Filter> searches = new LinkedHashMap<>();
        Set<TransactionState> all = EnumSet.allOf(TransactionState.class);
        searches.put("newest page (no filter)", filter(all, null, null, null, null, null, null, true, null));
        searches.put("oldest page (no filter)", filter(all, null, null, null, null, null, null, false, null));
        searches.put("next page (cursor)", filter(all, null, null, null, null, null, null, true, "0"));
        searches.put("state=COMMITTED", filter(EnumSet.of(TransactionState.COMMITTED), null, null, null, null, null, null, true, null));
        searches.put("state=HEURISTIC", filter(EnumSet.of(TransactionState.HEURISTIC), null, null, null, null, null, null, true, null));
        searches.put("state=COMMITTING,ROLLED_BACK", filter(EnumSet.of(TransactionState.COMMITTING, TransactionState.ROLLED_BACK),
                null, null, null, null, null, null, true, null));
        searches.put("inDoubt=true", filter(all, true, null, null, null, null, null, true, null));
        searches.put("inDoubt=true, oldest", filter(all, true, null, null, null, null, null, false, null));
        searches.put("participant=bank-7 (common)", filter(all, null, "bank-7", null, null, null, null, true, null));
        searches.put("participant=rare-svc (1 in 10,000)", filter(all, null, "rare-svc", null, null, null, null, true, null));
        searches.put("participant=nobody", filter(all, null, "nobody", null, null, null, null, true, null));
        searches.put("olderThan=1d", filter(all, null, null, now.minus(Duration.ofDays(1)), null, null, null, true, null));
        searches.put("olderThan=6d", filter(all, null, null, now.minus(Duration.ofDays(6)), null, null, null, true, null));
        searches.put("decidedAfter=now-1h", filter(all, null, null, null, now.minus(Duration.ofHours(1)), null, null, true, null));
        searches.put("decidedAfter=now-1h, oldest", filter(all, null, null, null, now.minus(Duration.ofHours(1)), null, null, false, null));
        searches.put("decidedAfter..decidedBefore (1 h, 3 days ago)", filter(all, null, null, null,
                now.minus(Duration.ofHours(73)), now.minus(Duration.ofHours(72)), null, true, null));
        searches.put("outcome=ROLLED_BACK", filter(all, null, null, null, null, null, Outcome.ROLLED_BACK, true, null));
        searches.put("outcome=COMMITTED", filter(all, null, null, null, null, null, Outcome.COMMITTED, true, null));
        searches.put("inDoubt=true, participant=bank-3", filter(all, true, "bank-3", null, null, null, null, true, null));
        List<Named> named = new ArrayList<>();
        searches.forEach((name, f) -> named.add(new Named(name, JdbcSearch.query(f))));
        double timeout = 10.0;
        named.add(new Named("status: heuristic (oldest 100)", new JdbcSearch.Query(JdbcLogReads.HEURISTIC_LIST, List.of(100))));
        named.add(new Named("status: heuristic count", new JdbcSearch.Query(JdbcLogReads.HEURISTIC_COUNT,
                List.of(JdbcLogReads.COUNT_CAP))));
        named.add(new Named("status: orphaned (oldest 100)", new JdbcSearch.Query(JdbcLogReads.ORPHANED_LIST, List.of(timeout, 100))));
        named.add(new Named("status: orphaned count", new JdbcSearch.Query(JdbcLogReads.ORPHANED_COUNT,
                List.of(timeout, JdbcLogReads.COUNT_CAP))));
        return named;
    }

    private static LogSearch.Filter filter(Set<TransactionState> states, Boolean inDoubt, String participant, Instant upTo,
                                           Instant after, Instant before, Outcome outcome, boolean newest, String cursor) {
        return new LogSearch.Filter(states, inDoubt, participant, upTo, after, before, outcome, newest,
                cursor, 50);
    }

    /** The plan PostgreSQL chose, executed, as text. */
    static String explain(DataSource dataSource, JdbcSearch.Query q) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("explain (analyze, buffers) " + q.sql())) {
            q.bind(s);
            StringBuilder plan = new StringBuilder();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    plan.append(r.getString(1)).append('\n');
                }
            }
            return plan.toString();
        }
    }

    /** Wall time of one run, in ms, rows read to the end. */
    static double time(DataSource dataSource, JdbcSearch.Query q) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(q.sql())) {
            q.bind(s);
            long start = System.nanoTime();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    r.getString(1);
                }
            }
            return (System.nanoTime() - start) / 1e6;
        }
    }

    static boolean scansTheTable(String plan) {
        return plan.contains("Seq Scan on transaction_log");
    }
}
