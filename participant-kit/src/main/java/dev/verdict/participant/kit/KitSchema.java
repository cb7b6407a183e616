package dev.verdict.participant.kit;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

/**
 * Creates and migrates the kit's table at start-up, before registration and before any callback
 * (an early observer): migrations in {@code db/verdict-participant}, recorded in a history table of
 * their own, so the service's own migrations (Flyway or not) never see them and versions never clash.
 */
@ApplicationScoped
public class KitSchema {

    private static final Logger LOG = Logger.getLogger(KitSchema.class);

    void migrate(@Observes @Priority(10) StartupEvent event, DataSource dataSource,
                 @ConfigProperty(name = "verdict.participant.name") String serviceName) {
        var result = flyway(dataSource, serviceName).migrate();
        if (result.migrationsExecuted > 0) {
            LOG.infof("participant kit schema migrated to version %s", result.targetSchemaVersion);
        }
    }

    /** The kit's migrations on {@code dataSource}, for the service named {@code serviceName}. */
    static Flyway flyway(DataSource dataSource, String serviceName) {
        return Flyway.configure(KitSchema.class.getClassLoader())
                .dataSource(dataSource)
                // V2 names the rows it adopts from before the kit after the service's (only) participant.
                .placeholders(Map.of("participant", serviceName))
                .locations("classpath:db/verdict-participant")
                .table("verdict_participant_schema_history")
                // The service's tables are there already: start this history empty rather than refuse.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load();
    }
}
