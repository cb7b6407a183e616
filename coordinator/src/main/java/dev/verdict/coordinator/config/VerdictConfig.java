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

    Log log();

    History history();

    Driver driver();

    Http http();

    Tls tls();

    Retention retention();

    Events events();

    Alerts alerts();

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

        /**
         * Most transactions one node holds in memory, undecided and unfinished together; a begin
         * beyond it is refused with 503. Bounds the memory a flood of begins (or a long outage of
         * a participant) can take.
         */
        @WithDefault("50000")
        int maxLive();

        /**
         * Most unfinished transactions one credential may have begun on one node; a begin beyond
         * it is refused with 429. Keeps one client (or a stolen key) from taking the whole of max-live.
         */
        @WithDefault("10000")
        int maxOpenPerCredential();

        /** How many finished transactions a node keeps in memory to answer late duplicates the same way. */
        @WithDefault("10000")
        int rememberFinished();
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
         * Host names and CIDR ranges (e.g. {@code bank.payments.svc,10.8.0.0/16}) a callback URL may
         * point at; a name matches exactly, an address by range. Unset: any host. Link-local and
         * metadata addresses are refused either way. Set it in production so that registration
         * cannot aim the coordinator at internal services.
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
        /**
         * This process's stable name among the coordinators sharing the database (a pod name, say).
         * A new start with the same name takes over the previous start's transactions at once.
         * Unset: host name and HTTP port.
         */
        Optional<String> nodeName();

        /**
         * The base URL the other coordinator nodes use to reach this one, to forward requests for
         * the transactions it owns (in Kubernetes, the pod's name under the headless service).
         * Unset: {@code http://<quarkus.http.host>:<port>}, or the host name when listening on all
         * interfaces.
         */
        Optional<String> advertisedUrl();

        /** How often this node records that it is alive, and looks for dead nodes' transactions. */
        @WithDefault("1s")
        Duration heartbeatInterval();

        /** A node silent this long is presumed dead; its transactions are taken over. */
        @WithDefault("10s")
        Duration nodeTimeout();

        @WithDefault("200")
        int batchSize();

        /**
         * How long a stopping node (SIGTERM) goes on finishing the transactions it holds, new
         * ones refused, before it marks itself gone and leaves the rest to the others. Keep it
         * below the platform's grace period (Kubernetes: terminationGracePeriodSeconds).
         */
        @WithDefault("20s")
        Duration drainTimeout();
    }

    /** Each transaction's history, for operators (docs/operator-api.md). */
    interface History {
        /**
         * Whether history is recorded at all. Off, GET /transactions/{id}/history and the event
         * stream stay empty; kept for measuring what history costs (docs/performance.md).
         */
        @WithDefault("true")
        boolean enabled();

        /** How long changes gather before they are stored, in one batch; the most a crash loses. */
        @WithDefault("200ms")
        Duration flushInterval();

        /** Most changes waiting to be stored; beyond it they are dropped (and counted), never waited for. */
        @WithDefault("100000")
        int maxQueued();
    }

    interface Log {
        /**
         * Longest a completion record waits for a decision group to ride along with before it is
         * written on its own. Nobody waits for completions; the delay only saves statements.
         */
        @WithDefault("100ms")
        Duration lazyDelay();

        /** Most records in one log group (one statement, one database transaction, one flush). */
        @WithDefault("500")
        int maxGroup();
    }

    interface Driver {
        /** Threads for database reads off the request path: recovery, heartbeats, answers from the log. */
        @WithDefault("4")
        int threads();
    }

    interface Http {
        /** Larger request bodies get 413 before they are read. */
        @WithDefault("65536")
        long maxBodyBytes();

        /** A request whose body has not fully arrived this long after the request did is answered 408 and closed. */
        @WithDefault("10s")
        Duration bodyTimeout();
    }

    interface Tls {
        /**
         * PEM files of the certificates (or CAs) to trust when calling participants and other
         * nodes over HTTPS. Unset: the JVM's default trust store. Set: only these are trusted.
         */
        Optional<List<String>> trustCerts();
    }

    /** What the log keeps, and for how long; docs/operations.md, "Retention". */
    interface Retention {
        /**
         * Finished transaction records (an acknowledged heuristic one: from its acknowledgement),
         * and history entries older than this. Never an unfinished one or an unacknowledged
         * heuristic one. Ids older than this less one hour are answered UNKNOWN when not on
         * record. At least 2h.
         */
        @WithDefault("7d")
        Duration finished();

        /** Rows of coordinator nodes dead this long. At least 2h. */
        @WithDefault("1d")
        Duration nodes();

        /** Tombstones of participants deregistered this long ago. */
        @WithDefault("30d")
        Duration participants();

        /** Time between pruning runs; one node prunes at a time. */
        @WithDefault("10m")
        Duration interval();

        /** Most rows one delete statement removes, so that pruning never holds many locks for long. */
        @WithDefault("10000")
        int batchSize();
    }

    interface Events {
        /** How often the node's one poller reads new history entries, while anyone subscribes to GET /events. */
        @WithDefault("250ms")
        Duration pollInterval();

        /** Events one subscriber may have waiting to be written; a consumer further behind gets {@code overflow} and the stream ends. */
        @WithDefault("1000")
        int maxQueued();

        /** Event streams one node serves at once; more are refused with 503. */
        @WithDefault("100")
        int maxSubscribers();

        /** A comment goes to a stream idle this long, so proxies keep it open. */
        @WithDefault("15s")
        Duration keepAlive();
    }

    interface Alerts {
        /** URLs each alert is POSTed to (JSON, signed). Unset: no alerts are sent (the gauges still show). */
        Optional<List<String>> webhooks();

        /** The HMAC key alerts are signed with, as callbacks are (base64url, at least 32 bytes); required with webhooks. */
        Optional<String> secret();

        /** A transaction decided this long ago and still not acknowledged by every participant is alerted on, once. */
        @WithDefault("5m")
        Duration inDoubtAfter();

        /** A participant with more unfinished transactions than this waiting on it, on one node, is alerted on. */
        @WithDefault("100")
        int backlogThreshold();

        /** How often a node evaluates its alerts and refreshes its in-doubt, undecided and backlog gauges. */
        @WithDefault("10s")
        Duration checkInterval();

        /** Deliveries waiting to be sent or retried; beyond, the oldest is dropped (and counted). */
        @WithDefault("1000")
        int maxQueued();

        /** Attempts per delivery before it is given up (and counted as failed). */
        @WithDefault("8")
        int maxAttempts();

        /** Delay before the first retry of a failed delivery; it doubles up to {@code retry-max}. */
        @WithDefault("1s")
        Duration retryInitial();

        @WithDefault("1m")
        Duration retryMax();
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
