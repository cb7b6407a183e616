package dev.verdict.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The factory hands a service everything it needs to connect, password included, and settings
 * that copy the default datasource's (as the coordinator's {@code log} datasource does) see it.
 */
class EmbeddedPostgresConfigSourceFactoryTest {

    /** The factory keeps its server for the JVM's life, as a service does; target/, not a temporary directory. */
    private static final Path DIR = Path.of("target/pgdata-factory-test").toAbsolutePath().normalize();

    @AfterAll
    static void stopServer() throws Exception {
        EmbeddedDatabase.stopLeftoverServer(DIR);
    }

    @Test
    void suppliesUrlUsernameAndPasswordAndTheLogDatasourceCopiesThem() throws Exception {
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors() // expressions, as in Quarkus
                .withSources(new PropertiesConfigSource(Map.of(
                        "verdict.embedded-postgres.data-dir", DIR.toString(),
                        "verdict.embedded-postgres.clean", "true",
                        // exactly as coordinator/src/main/resources/application.properties has them
                        "quarkus.datasource.log.jdbc.url", "${quarkus.datasource.jdbc.url}",
                        "quarkus.datasource.log.username", "${quarkus.datasource.username:}",
                        "quarkus.datasource.log.password", "${quarkus.datasource.password:}"), "application", 250))
                .withSources(new EmbeddedPostgresConfigSourceFactory())
                .build();

        String password = config.getValue("quarkus.datasource.password", String.class);
        assertEquals(EmbeddedDatabase.readPassword(DIR), password);
        assertFalse(password.isBlank());
        assertEquals(password, config.getValue("quarkus.datasource.log.password", String.class));
        assertEquals("postgres", config.getValue("quarkus.datasource.log.username", String.class));
        try (Connection c = DriverManager.getConnection(config.getValue("quarkus.datasource.log.jdbc.url", String.class),
                config.getValue("quarkus.datasource.log.username", String.class), password);
             Statement s = c.createStatement(); ResultSet r = s.executeQuery("select 1")) {
            r.next();
            assertEquals(1, r.getInt(1));
        }
    }
}
