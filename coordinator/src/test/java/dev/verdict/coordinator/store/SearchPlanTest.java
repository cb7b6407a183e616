package dev.verdict.coordinator.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verdict.embedded.EmbeddedDatabase;
import java.nio.file.Path;
import java.time.Instant;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Every operator query the coordinator sends (the search's filters, the status's reads) is planned
 * on an index, never a scan of the log, on a log of 100,000 finished transactions. Only the plan is
 * checked: times are for the benchmark (OperatorQueriesBench, docs/performance.md).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchPlanTest {

    private EmbeddedDatabase database;
    private PGSimpleDataSource db;

    @BeforeAll
    void fill() throws Exception {
        database = EmbeddedDatabase.start(Path.of("target/pgdata-plans"), true);
        db = new PGSimpleDataSource();
        db.setURL(database.jdbcUrl());
        db.setUser(database.username());
        db.setPassword(database.password());
        Flyway.configure().dataSource(db).locations("classpath:db/migration").load().migrate();
        OperatorQueries.generate(db, 100_000);
    }

    @AfterAll
    void stop() {
        if (database != null) {
            database.stop();
        }
    }

    @Test
    void noOperatorQueryScansTheLog() throws Exception {
        StringBuilder scans = new StringBuilder();
        for (OperatorQueries.Named q : OperatorQueries.catalogue(Instant.now())) {
            String plan = OperatorQueries.explain(db, q.query());
            assertTrue(plan.contains("Index"), q.name() + " uses an index:\n" + plan);
            if (OperatorQueries.scansTheTable(plan)) {
                scans.append(q.name()).append(":\n").append(plan).append('\n');
            }
        }
        assertFalse(scans.length() > 0, "sequential scans of transaction_log:\n" + scans);
    }
}
