package dev.verdict.coordinator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Everything an operator can tune; docs/configuration.md describes each key. */
@ConfigMapping(prefix = "verdict")
public interface VerdictConfig {

    Transactions transaction();

    Participants participant();

    Retry retry();

    Recovery recovery();

    /** Test only: the named crash point at which the process halts as if SIGKILLed. Never set in production. */
    Optional<String> crashPoint();

    /** Read by the verdict-embedded-postgres module before the application starts; declared here to be documented and validated. */
    EmbeddedPostgres embeddedPostgres();

    interface Transactions {
        /** Timeout of a transaction begun without one. */
        @WithDefault("60s")
        Duration defaultTimeout();

        /** Largest timeout a client may ask for. */
        @WithDefault("1h")
        Duration maxTimeout();

        /** How long a commit or rollback request waits for the outcome before answering 202. */
        @WithDefault("15s")
        Duration outcomeWait();
    }

    interface Participants {
        /** Longest a participant may take to answer one call; a prepare that takes longer aborts. */
        @WithDefault("5s")
        Duration callTimeout();

        @WithDefault("2s")
        Duration connectTimeout();

        @WithDefault("64")
        int maxConnectionsPerHost();

        /** Replies larger than this are treated as garbage. */
        @WithDefault("65536")
        int maxReplyBytes();

        /**
         * Host names or IP literals a callback URL may point at. Unset: any host. Set it in
         * production so that registration cannot aim the coordinator at internal services.
         */
        Optional<List<String>> allowedHosts();
    }

    interface Retry {
        @WithDefault("200ms")
        Duration initial();

        @WithDefault("30s")
        Duration max();
    }

    interface Recovery {
        /** How often the driver looks for due transactions (timeouts, retries). */
        @WithDefault("250ms")
        Duration pollInterval();

        /**
         * This process's stable name among the coordinators sharing the database (a pod name, say).
         * A new start with the same name takes over the previous start's transactions at once.
         * Unset: host name and HTTP port.
         */
        Optional<String> nodeName();

        /** How often this node records that it is alive, and looks for dead nodes' transactions. */
        @WithDefault("1s")
        Duration heartbeatInterval();

        /** A node silent this long is presumed dead; its transactions are taken over. */
        @WithDefault("10s")
        Duration nodeTimeout();

        @WithDefault("200")
        int batchSize();
    }

    interface EmbeddedPostgres {
        /** Start an embedded PostgreSQL when no {@code quarkus.datasource.jdbc.url} is configured. */
        @WithDefault("true")
        boolean enabled();

        /** Where its data lives; printed at start. */
        Optional<String> dataDir();

        /** Wipe the data directory before starting (tests only). */
        @WithDefault("false")
        boolean clean();
    }
}
