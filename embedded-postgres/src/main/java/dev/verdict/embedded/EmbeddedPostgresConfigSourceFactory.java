package dev.verdict.embedded;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Supplies {@code quarkus.datasource.jdbc.url}, {@code .username} and {@code .password} from an
 * embedded PostgreSQL when, and only when, nothing else configures the URL: so a fresh machine with
 * only a JDK runs a service for real, and an operator who sets the standard datasource properties
 * never gets an embedded database. (Settings that name the default datasource's credentials, like
 * the coordinator's {@code quarkus.datasource.log.password=${quarkus.datasource.password:}}, see
 * these values as any others.)
 *
 * <p>Keys: {@code verdict.embedded-postgres.enabled} (default true), {@code .data-dir} (required
 * for it to start), {@code .clean} (wipe the data directory first; for tests).
 */
public class EmbeddedPostgresConfigSourceFactory implements ConfigSourceFactory {

    static final String URL_KEY = "quarkus.datasource.jdbc.url";
    static final String USERNAME_KEY = "quarkus.datasource.username";
    static final String PASSWORD_KEY = "quarkus.datasource.password";
    static final String PREFIX = "verdict.embedded-postgres.";

    /**
     * Quarkus builds its runtime configuration more than once per JVM, in different class loaders,
     * so the server started by the first build is remembered in a JVM-wide system property (outside
     * the {@code verdict.} namespace, which configuration validation checks).
     */
    private static synchronized String startOnce(Path dir, boolean clean) {
        String key = "dev.verdict.embedded-postgres.url:" + dir;
        String running = System.getProperty(key);
        if (running == null) {
            running = EmbeddedDatabase.start(dir, clean).jdbcUrl();
            System.setProperty(key, running);
        }
        return running;
    }

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (isBuildTime() || isSet(context.getValue(URL_KEY)) || "false".equals(value(context, "enabled"))) {
            return List.of();
        }
        String dataDir = value(context, "data-dir");
        if (dataDir == null || dataDir.isBlank()) {
            return List.of();
        }
        Path dir = Path.of(dataDir).toAbsolutePath().normalize();
        String url = startOnce(dir, "true".equals(value(context, "clean")));
        // The password is read from its owner-only file rather than remembered with the URL: a
        // system property is readable by anything in the JVM that lists them.
        return List.of(new PropertiesConfigSource(Map.of(
                URL_KEY, url,
                USERNAME_KEY, EmbeddedDatabase.USER,
                PASSWORD_KEY, EmbeddedDatabase.readPassword(dir)),
                "verdict-embedded-postgres", 50));
    }

    /**
     * Quarkus also builds a configuration while it augments the application (during the Maven
     * build, and before a {@code @QuarkusTest}), and that one reads factories too. A database is
     * wanted only by the running application, and augmentation is the only caller that runs
     * through Quarkus' deployment classes.
     */
    private static boolean isBuildTime() {
        return StackWalker.getInstance().walk(frames ->
                frames.anyMatch(f -> f.getClassName().startsWith("io.quarkus.deployment.")));
    }

    private static String value(ConfigSourceContext context, String key) {
        ConfigValue v = context.getValue(PREFIX + key);
        return isSet(v) ? v.getValue() : null;
    }

    private static boolean isSet(ConfigValue v) {
        return v != null && v.getValue() != null && !v.getValue().isBlank();
    }
}
