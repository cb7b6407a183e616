package dev.verdict.coordinator.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.verdict.coordinator.metrics.VerdictMetrics;
import dev.verdict.embedded.EmbeddedDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Not a test (its name keeps it out of the suite): the benchmark of docs/performance.md, "Operator
 * queries on 1,000,000 rows". Run it alone:
 * {@code ./mvnw -q -o -pl coordinator -am verify -Dtest=OperatorQueriesBench -Dsurefire.failIfNoSpecifiedTests=false -DskipITs}
 * ({@code -Dbench.rows=…} for another size). It starts an embedded PostgreSQL of its own in
 * target/pgdata-bench, migrates it, fills the log, and prints for every operator query its plan's
 * first line, PostgreSQL's execution time and the median wall time of 7 runs.
 */
class OperatorQueriesBench {

    @Test
    void measure() throws Exception {
        int rows = Integer.getInteger("bench.rows", 1_000_000);
        EmbeddedDatabase database = EmbeddedDatabase.start(Path.of("target/pgdata-bench"), true);
        try {
            PGSimpleDataSource db = new PGSimpleDataSource();
            db.setURL(database.jdbcUrl());
            db.setUser(database.username());
            db.setPassword(database.password());
            Flyway.configure().dataSource(db).locations("classpath:db/migration").load().migrate();
            long start = System.nanoTime();
            OperatorQueries.generate(db, rows);
            System.out.printf("%n%,d rows generated and analysed in %.1f s%n%n", rows, (System.nanoTime() - start) / 1e9);
            System.out.println("| Query | Rows | Plan (top) | Execution (PostgreSQL) | Wall, median of 7 |");
            System.out.println("| --- | --- | --- | --- | --- |");
            for (OperatorQueries.Named q : OperatorQueries.catalogue(Instant.now())) {
                String plan = OperatorQueries.explain(db, q.query());
                double[] wall = new double[7];
                for (int i = 0; i < wall.length; i++) {
                    wall[i] = OperatorQueries.time(db, q.query());
                }
                Arrays.sort(wall);
                System.out.printf("| %s | %s | %s | %s | %.2f ms |%n", q.name(), rowsOf(plan), indexes(plan), execution(plan),
                        wall[wall.length / 2]);
                if (Boolean.getBoolean("bench.plans")) {
                    System.out.println(plan);
                }
            }
            prune(db);
        } finally {
            database.stop();
        }
    }

    /** Three pruning batches of 10,000 rows over the oldest day. */
    private static void prune(PGSimpleDataSource db) {
        JdbcRetention retention = new JdbcRetention(db, new VerdictMetrics(new SimpleMeterRegistry()));
        Instant before = Instant.now().minus(Duration.ofDays(6));
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            int deleted = retention.pruneTransactions(before, before.plus(Duration.ofHours(1)), 10_000);
            System.out.printf("| prune batch %d | %,d deleted | | | %.1f ms |%n", i + 1, deleted, (System.nanoTime() - start) / 1e6);
        }
        JdbcLogReads reads = new JdbcLogReads(db, new ObjectMapper().registerModule(new JavaTimeModule()),
                new VerdictMetrics(new SimpleMeterRegistry()));
        long start = System.nanoTime();
        long counted = reads.countHeuristic() + reads.countOrphaned(Duration.ofSeconds(10));
        reads.heuristic(100);
        reads.orphaned(Duration.ofSeconds(10), 100);
        System.out.printf("| /status log part (4 reads) | %,d counted | | | %.1f ms |%n", counted, (System.nanoTime() - start) / 1e6);
    }

    private static String rowsOf(String plan) {
        String first = plan.lines().findFirst().orElse("");
        int at = first.indexOf("actual time=");
        int rows = first.indexOf("rows=", at);
        return rows < 0 ? "?" : first.substring(rows + 5, first.indexOf(' ', rows));
    }

    /** The scans the plan uses, in order, without repeats. */
    private static String indexes(String plan) {
        StringBuilder used = new StringBuilder();
        plan.lines().map(String::strip).map(l -> l.startsWith("->") ? l.substring(2).strip() : l)
                .filter(l -> l.contains(" Scan ") || l.startsWith("Seq Scan"))
                .map(l -> l.substring(0, l.indexOf("  (")).replace("Scan Backward", "Scan backward"))
                .map(l -> l.replace(" on transaction_log", "").replace(" t ", " ").strip())
                .distinct().forEach(l -> used.append(used.length() == 0 ? "" : "; ").append(l));
        return used.toString();
    }

    private static String execution(String plan) {
        return plan.lines().filter(l -> l.startsWith("Execution Time")).map(l -> l.substring(l.indexOf(':') + 1).strip())
                .findFirst().orElse("?");
    }
}
