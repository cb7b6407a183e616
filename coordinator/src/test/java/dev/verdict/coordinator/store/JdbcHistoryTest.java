package dev.verdict.coordinator.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.verdict.coordinator.metrics.VerdictMetrics;
import dev.verdict.coordinator.model.HistoryEntry;
import dev.verdict.coordinator.port.HistoryFeed.Filter;
import dev.verdict.embedded.EmbeddedDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * History's rows (V8: a transaction's entries of one batch grouped in one row) written and read
 * back by the production code on a real PostgreSQL of its own, which is first migrated to V7 and
 * given history in the old shape, one row per entry, so the V8 migration is checked on real rows.
 */
class JdbcHistoryTest {

    private static EmbeddedDatabase database;
    private static PGSimpleDataSource dataSource;
    private static JdbcHistory history;
    private static JdbcHistoryFeed feed;
    private static final Instant T0 = Instant.parse("2026-11-23T03:12:09.120Z");

    @BeforeAll
    static void start() throws SQLException {
        database = EmbeddedDatabase.start(Path.of("target/pgdata-history"), true);
        dataSource = new PGSimpleDataSource();
        dataSource.setURL(database.jdbcUrl());
        dataSource.setUser(database.username());
        dataSource.setPassword(database.password());
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").cleanDisabled(false).load().clean();
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").target("7").load().migrate();
        sql("insert into transaction_history (transaction_id, at, node, kind, participant, detail) values"
                + " ('old-tx', '2026-11-20T10:00:00.5Z', 'c1', 'BEGUN', null, '{\"timeoutMs\": 30000}'),"
                + " (null, '2026-11-20T10:00:01Z', 'c1', 'PARTICIPANT_PAUSED', 'bank-a', '{\"reason\": \"upgrade\"}'),"
                + " ('old-tx', '2026-11-20T10:00:02Z', 'c2', 'ENLISTED', 'bank-a', '{}')");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule());
        VerdictMetrics metrics = new VerdictMetrics(new SimpleMeterRegistry());
        history = new JdbcHistory(dataSource, json, metrics);
        feed = new JdbcHistoryFeed(dataSource, json, metrics);
    }

    @AfterAll
    static void stop() {
        if (database != null) {
            database.stop();
        }
    }

    @Test
    void entriesWrittenBeforeTheMigrationKeepTheirIdsTimesAndDetails() {
        List<HistoryEntry> old = history.of("old-tx", 10);
        assertEquals(List.of(1L, 3L), old.stream().map(HistoryEntry::id).toList());
        assertEquals(new HistoryEntry(1, "old-tx", Instant.parse("2026-11-20T10:00:00.5Z"), "c1", "BEGUN", null,
                Map.of("timeoutMs", 30000)), old.get(0));
        assertEquals(new HistoryEntry(3, "old-tx", Instant.parse("2026-11-20T10:00:02Z"), "c2", "ENLISTED", "bank-a",
                Map.of()), old.get(1));
        List<HistoryEntry> paused = feed.after(1, 2, Filter.ALL, 10);
        assertEquals(List.of(new HistoryEntry(2, null, Instant.parse("2026-11-20T10:00:01Z"), "c1", "PARTICIPANT_PAUSED",
                "bank-a", Map.of("reason", "upgrade"))), paused);
    }

    @Test
    void aBatchIsStoredAsOneRowPerTransactionWithEveryEntryInOrderAndNumbered() throws SQLException {
        List<HistoryEntry> batch = List.of(
                entry("g-a", "BEGUN", null, 0), entry("g-b", "BEGUN", null, 1), entry("g-a", "ENLISTED", "bank-a", 2),
                entry(null, "PARTICIPANT_RESUMED", "bank-a", 3), entry("g-b", "ENLISTED", "bank-b", 4),
                entry("g-a", "STATE_CHANGED", null, 5));
        List<HistoryEntry> stored = history.append(batch);

        long first = stored.get(0).id();
        assertEquals(3, count("select count(*) from transaction_history where first_id between " + first + " and "
                + (first + 5)), "three rows: g-a's, g-b's, and the participant's");
        assertEquals(List.of(first, first + 1, first + 2, first + 3, first + 4, first + 5),
                stored.stream().map(HistoryEntry::id).toList(), "ids are dense, drawn for the batch");
        List<HistoryEntry> a = history.of("g-a", 10);
        assertEquals(List.of("BEGUN", "ENLISTED", "STATE_CHANGED"), a.stream().map(HistoryEntry::kind).toList());
        assertEquals(List.of(first, first + 1, first + 2), a.stream().map(HistoryEntry::id).toList());
        assertEquals(T0.plusMillis(2), a.get(1).at());
        assertEquals("bank-a", a.get(1).participant());
        assertEquals(Map.of("n", 2), a.get(1).detail());
        assertEquals(stored.subList(0, 3), a, "what append answered is what is read back");
        assertEquals(List.of("BEGUN"), history.of("g-a", 1).stream().map(HistoryEntry::kind).toList(), "limit counts entries");

        List<HistoryEntry> fed = feed.after(first - 1, Long.MAX_VALUE, Filter.ALL, 100);
        assertEquals(stored, fed.stream().filter(e -> e.id() < first + 6).toList(), "the feed reads them in id order");
    }

    @Test
    void aLongRunOfOneTransactionIsSplitIntoBoundedRows() throws SQLException {
        List<HistoryEntry> batch = new ArrayList<>();
        for (int i = 0; i < 2 * HistoryRows.MAX_ENTRIES + 1; i++) {
            batch.add(entry("g-long", "DELIVERY_FAILED", "bank-x", i));
        }
        List<HistoryEntry> stored = history.append(batch);
        assertEquals(3, count("select count(*) from transaction_history where transaction_id = 'g-long'"));
        assertEquals(HistoryRows.MAX_ENTRIES, count("select json_array_length(entries) from transaction_history"
                + " where transaction_id = 'g-long' order by last_id limit 1"));
        assertEquals(stored, history.of("g-long", 1000));
    }

    /** The feed's bounds fall inside rows, its filters pick entries out of rows, its limit counts entries. */
    @Test
    void theFeedCutsRowsAtItsBoundsAndFiltersEntriesInsideThem() {
        List<HistoryEntry> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batch.add(entry("f-" + (i % 2), i % 3 == 0 ? "BRANCH_CHANGED" : "STATE_CHANGED", i % 3 == 0 ? "bank-f" : null, i));
        }
        List<HistoryEntry> stored = history.append(batch);
        List<Long> ids = stored.stream().map(HistoryEntry::id).toList();
        long first = ids.get(0);
        long last = ids.get(ids.size() - 1);

        assertEquals(ids.subList(2, 7), idsOf(feed.after(ids.get(1), ids.get(6), Filter.ALL, 100)), "from and up to mid-row");
        assertEquals(ids.subList(0, 3), idsOf(feed.after(first - 1, last, Filter.ALL, 3)), "a limit smaller than a row");
        List<Long> bankF = stored.stream().filter(e -> "bank-f".equals(e.participant())).map(HistoryEntry::id).toList();
        assertEquals(bankF, idsOf(feed.after(first - 1, last, new Filter(Set.of(), Set.of("bank-f"), Set.of()), 100)));
        assertEquals(bankF.subList(0, 2), idsOf(feed.after(first - 1, last, new Filter(Set.of(), Set.of("bank-f"), Set.of()), 2)));
        List<Long> f1Changes = stored.stream().filter(e -> e.transactionId().equals("f-1") && e.kind().equals("STATE_CHANGED"))
                .map(HistoryEntry::id).toList();
        assertEquals(f1Changes, idsOf(feed.after(first - 1, last, new Filter(Set.of("f-1"), Set.of(), Set.of("STATE_CHANGED")), 100)));
        assertEquals(List.of(), feed.after(last, Long.MAX_VALUE, new Filter(Set.of("f-0", "f-1"), Set.of(), Set.of()), 100));
        assertTrue(feed.newest() >= last);
    }

    private static List<Long> idsOf(List<HistoryEntry> entries) {
        return entries.stream().map(HistoryEntry::id).toList();
    }

    private static HistoryEntry entry(String tx, String kind, String participant, int n) {
        return new HistoryEntry(0, tx, T0.plus(n, ChronoUnit.MILLIS), "c1", kind, participant, Map.of("n", n));
    }

    private static long count(String query) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(query)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static void sql(String statement) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
