package dev.verdict.participant.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.verdict.embedded.EmbeddedDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The kit's migrations on a database that the sample bank used before the kit was a library: the
 * rows of its old table are adopted under the service's name (a prepared transaction is still
 * committed or rolled back as told), and the old table is gone.
 */
class KitSchemaTest {

    static EmbeddedDatabase database;
    static PGSimpleDataSource dataSource;

    @BeforeAll
    static void start() {
        database = EmbeddedDatabase.start(Path.of("target/pgdata-schema-test"), true);
        dataSource = new PGSimpleDataSource();
        dataSource.setURL(database.jdbcUrl());
        dataSource.setUser(database.username());
        dataSource.setPassword(database.password());
    }

    @AfterAll
    static void stop() {
        database.stop();
    }

    @Test
    void rowsOfTheBanksOldTableAreAdoptedAndTheTableDropped() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            // The sample bank's V1, as it was.
            s.execute("create table verdict_participant_tx (tx_id varchar(64) primary key, state varchar(16) not null,"
                    + " created_at timestamptz not null, updated_at timestamptz not null)");
            s.execute("insert into verdict_participant_tx values ('t1', 'PREPARED', now(), now()),"
                    + " ('t2', 'ROLLED_BACK', now(), now())");
        }
        KitSchema.flyway(dataSource, "bank-a").migrate();

        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            List<String> rows = new ArrayList<>();
            try (ResultSet r = s.executeQuery("select participant, tx_id, state from verdict_participant_branch order by tx_id")) {
                while (r.next()) {
                    rows.add(r.getString(1) + " " + r.getString(2) + " " + r.getString(3));
                }
            }
            assertEquals(List.of("bank-a t1 PREPARED", "bank-a t2 ROLLED_BACK"), rows);
            try (ResultSet r = s.executeQuery("select to_regclass('verdict_participant_tx')")) {
                r.next();
                assertNull(r.getString(1), "the old table is dropped");
            }
        }
        assertEquals(0, KitSchema.flyway(dataSource, "bank-a").migrate().migrationsExecuted, "and it runs once");
    }
}
