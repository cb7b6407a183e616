package dev.verdict.coordinator.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.verdict.coordinator.metrics.VerdictMetrics;
import dev.verdict.embedded.EmbeddedDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The PostgreSQL log against the shared contract, on a real server of its own (an embedded one,
 * migrated by the same Flyway scripts as production), with the production JDBC code.
 */
class JdbcLogContractTest extends TransactionLogContract {

    private static EmbeddedDatabase database;
    private static Stores stores;

    @BeforeAll
    static void start() {
        database = EmbeddedDatabase.start(Path.of("target/pgdata-contract"), true);
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(database.jdbcUrl());
        dataSource.setUser(database.username());
        dataSource.setPassword(database.password());
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule());
        VerdictMetrics metrics = new VerdictMetrics(new SimpleMeterRegistry());
        JdbcLogReads reads = new JdbcLogReads(dataSource, json, metrics);
        stores = new Stores(new JdbcTransactionLog(dataSource, json, metrics), reads, reads, new JdbcNodes(dataSource, metrics));
    }

    @AfterAll
    static void stop() {
        if (database != null) {
            database.stop();
        }
    }

    @Override
    Stores stores() {
        return stores;
    }
}
