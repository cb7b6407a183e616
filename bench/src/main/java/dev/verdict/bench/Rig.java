package dev.verdict.bench;

import dev.verdict.embedded.EmbeddedDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything under test, each its own process as in production: a PostgreSQL server (embedded, in
 * the work directory), the stub participants, and the packaged coordinator on that database; for
 * W6 only, a second coordinator on the same database.
 */
final class Rig implements AutoCloseable {

    static final String NODE = "bench-1";
    static final String REPLICA_NODE = "bench-2";
    private static final Duration READY_WITHIN = Duration.ofSeconds(90);

    final Options options;
    final EmbeddedDatabase database;
    final ProcessHandle postmaster;
    final Launched stubs;
    /** The OTLP sink the coordinator exports its traces to ({@code --tracing true}); null otherwise. */
    private final Launched sink;
    final List<Integer> stubPorts = new ArrayList<>();
    final int coordinatorPort;
    private Launched coordinator;
    private int coordinatorRuns;
    private Launched replica;
    private int replicaRuns;

    Rig(Options options) throws IOException, InterruptedException {
        this.options = options;
        if (!Files.exists(options.coordinatorJar())) {
            throw new IllegalStateException(options.coordinatorJar() + " is missing: build first (./run.sh bench does)");
        }
        Files.createDirectories(options.workDir());
        database = EmbeddedDatabase.start(options.workDir().resolve("pgdata"), true);
        try {
            long pid = Long.parseLong(Files.readAllLines(options.workDir().resolve("pgdata/postmaster.pid"), StandardCharsets.UTF_8).get(0).trim());
            postmaster = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("PostgreSQL is not running"));

            List<String> stubArgs = new ArrayList<>(List.of(StubParticipants.class.getName()));
            for (int i = 0; i < 2; i++) {
                stubPorts.add(Launched.freePort());
                stubArgs.add(String.valueOf(stubPorts.get(i)));
            }
            stubs = Launched.java("stubs", stubPorts.get(0), List.of("-Xmx256m", "-cp", System.getProperty("java.class.path")),
                    stubArgs, options.workDir().resolve("stubs.log"));
            stubs.awaitHttp("/_stub", Duration.ofSeconds(30));
            if (options.tracing()) {
                int sinkPort = Launched.freePort();
                sink = Launched.java("trace sink", sinkPort, List.of("-Xmx128m", "-cp", System.getProperty("java.class.path")),
                        List.of(TraceSink.class.getName(), String.valueOf(sinkPort)), options.workDir().resolve("sink.log"));
                sink.awaitHttp("/_sink", Duration.ofSeconds(30));
            } else {
                sink = null;
            }

            coordinatorPort = Launched.freePort();
            startCoordinator();
        } catch (IOException | InterruptedException | RuntimeException e) {
            close(); // nobody else holds this rig yet: stop what did start
            throw e;
        }
    }

    Launched coordinator() {
        return coordinator;
    }

    /** Starts the coordinator (again, after a kill: same node name, same database) and waits until ready. */
    Launched startCoordinator() throws IOException, InterruptedException {
        coordinator = launchCoordinator(NODE, coordinatorPort, "coordinator-" + ++coordinatorRuns);
        return coordinator.awaitHttp("/q/health/ready", READY_WITHIN);
    }

    /** Starts W6's second coordinator, another node on the same database, and waits until it is ready. */
    Launched startReplica() throws IOException, InterruptedException {
        replica = launchCoordinator(REPLICA_NODE, Launched.freePort(), "replica-" + ++replicaRuns);
        return replica.awaitHttp("/q/health/ready", READY_WITHIN);
    }

    void stopReplica() throws InterruptedException {
        replica.stop();
        replica = null;
    }

    /** The ports of the coordinators running now, the first one's first. */
    List<Integer> coordinatorPorts() {
        return running().stream().map(c -> c.port).toList();
    }

    /** The node names of the coordinators running now. */
    List<String> nodeNames() {
        return replica == null ? List.of(NODE) : List.of(NODE, REPLICA_NODE);
    }

    private List<Launched> running() {
        return replica == null ? List.of(coordinator) : List.of(coordinator, replica);
    }

    private Launched launchCoordinator(String node, int port, String run) throws IOException {
        List<String> jvm = new ArrayList<>(List.of(
                "-Xmx512m",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.datasource.jdbc.url=" + database.jdbcUrl(),
                "-Dquarkus.datasource.username=" + database.username(),
                "-Dverdict.recovery.node-name=" + node,
                "-Dverdict.recovery.advertised-url=http://127.0.0.1:" + port,
                "-Dverdict.auth.api-key-file=" + Credential.keyFile(options.workDir())));
        if (sink != null) {
            // Every transaction traced (the load sends no traceparent: each is a root, sampled by the
            // default parentbased_always_on) and exported as in production, to a sink that discards.
            jvm.addAll(List.of("-Dquarkus.otel.sdk.disabled=false",
                    "-Dquarkus.otel.exporter.otlp.traces.endpoint=http://127.0.0.1:" + sink.port,
                    "-Dquarkus.otel.exporter.otlp.traces.protocol=http/protobuf"));
        }
        if (options.profile()) {
            jvm.add("-XX:StartFlightRecording=settings=profile,filename=" + options.workDir().resolve(run + ".jfr"));
        }
        return Launched.java("coordinator " + node, port, jvm, List.of("-jar", options.coordinatorJar().toString()),
                Map.of("QUARKUS_DATASOURCE_PASSWORD", database.password()), options.workDir().resolve(run + ".log"));
    }

    /**
     * CPU time of each process so far, in a fixed order: coordinator (every one running; take
     * differences only while the same ones run), stubs, PostgreSQL, load generator.
     */
    Cpu cpu() {
        Duration coordinators = running().stream().map(Launched::cpu).reduce(Duration.ZERO, Duration::plus);
        return new Cpu(coordinators, stubs.cpu(), Launched.cpuOfTree(postmaster), Launched.cpuOf(ProcessHandle.current()));
    }

    record Cpu(Duration coordinator, Duration stubs, Duration postgres, Duration generator) {
        Cpu minus(Cpu before) {
            return new Cpu(coordinator.minus(before.coordinator), stubs.minus(before.stubs),
                    postgres.minus(before.postgres), generator.minus(before.generator));
        }
    }

    /** Stops whatever has started, in any state the rig is in. */
    @Override
    public void close() throws InterruptedException {
        try {
            if (replica != null) {
                replica.stop();
            }
            if (coordinator != null) {
                coordinator.stop();
            }
            if (stubs != null) {
                stubs.stop();
            }
            if (sink != null) {
                sink.stop();
            }
        } finally {
            database.stop();
        }
    }
}
