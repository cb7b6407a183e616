package dev.verdict.bench;

import dev.verdict.protocol.CallbackSignature;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The benchmark: starts PostgreSQL, the stub participants and the packaged coordinator (for W6 a
 * second one too), then for each workload and concurrency measures Verdict and, right after, the
 * same-run bound, and prints both with their ratio and the coordinator's costs per transaction.
 * See docs/performance.md.
 */
public final class Bench implements AutoCloseable {

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        try (Bench bench = new Bench(options)) {
            bench.run().print(System.out);
        }
    }

    private static final int CONNECTIONS_PER_HOST = 128;
    /** Longer than the coordinator's lazy-delay plus a group's flush; see {@link #settledCounters}. */
    private static final Duration QUIET = Duration.ofMillis(500);
    private static final Duration SETTLE_LIMIT = Duration.ofSeconds(30);
    /** Each node heartbeats every second; both see each other well within this. */
    private static final Duration NODES_MEET_WITHIN = Duration.ofSeconds(30);
    private static final long ROUTING_SEED = 6;

    final Options options;
    private final Vertx vertx;
    private final Context context;
    private final Http http;
    private final Load load;
    private Rig rig;
    private Pool decisions;
    private CoordinatorFlow verdictFlow;
    /** W6's requests, each to one of the two coordinators at random; only while both run. */
    private CoordinatorFlow replicatedFlow;
    private BoundFlow boundFlow;

    public Bench(Options options) {
        this.options = options;
        // One event loop: the generator is a single thread, so its CPU stays small and measurable.
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        context = vertx.getOrCreateContext();
        http = new Http(context, CONNECTIONS_PER_HOST);
        load = new Load(context);
    }

    Report run() throws Exception {
        Report report = new Report(options);
        System.out.println("Verdict bench: starting PostgreSQL, stub participants and the coordinator in " + options.workDir());
        rig = new Rig(options);
        decisions = PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(32))
                .connectingTo(new PgConnectOptions().setHost("127.0.0.1").setPort(rig.database.port())
                        .setDatabase("postgres").setUser(rig.database.username())
                        .setPassword(rig.database.password()).setCachePreparedStatements(true)
                        .addProperty("synchronous_commit", "on"))
                .using(vertx).build();
        await(decisions.query(BoundFlow.TABLE_DDL).execute());
        verdictFlow = new CoordinatorFlow(http, List.of(rig.coordinatorPort), ROUTING_SEED);
        boundFlow = new BoundFlow(http, rig.stubPorts, decisions);
        report.environment = settings();
        register();

        if (!options.warmup().isZero()) {
            System.out.println("warming up for " + options.warmup().toSeconds() + " s");
            configureStubs(Workload.W1, false);
            await(load.closed(() -> verdict(Workload.W1), 8, options.warmup(), Long.MAX_VALUE));
            await(load.closed(() -> bound(Workload.W1), 8, options.warmup().dividedBy(3), Long.MAX_VALUE));
            quiesce();
        }
        for (Workload w : options.workloads()) {
            if (w.coordinators > 1) {
                startReplica();
            }
            for (int clients : options.clients()) {
                report.rows.add(measureClosed(w, clients));
            }
            if (w.coordinators > 1) {
                stopReplica(); // the other workloads measure one node
            }
        }
        OptionalDouble w1Max = report.rows.stream().filter(r -> r.workload() == Workload.W1)
                .mapToDouble(r -> r.verdict().throughput()).max();
        if (options.openLoop() && w1Max.isPresent()) {
            report.rows.add(measureOpen(Math.max(1, Math.floor(0.8 * w1Max.getAsDouble()))));
        }
        if (options.recoveryTransactions() > 0) {
            configureStubs(Workload.W1, false);
            report.recovery = new RecoveryScenario(this, rig).run(options.recoveryTransactions());
        }
        return report;
    }

    /**
     * Starts W6's second coordinator and waits until the two forward to each other. A fresh JVM
     * then gets a warm-up of its own: its JIT compiling would otherwise be charged to W6, and so
     * to the cost of a forwarded request.
     */
    private void startReplica() throws Exception {
        System.out.println("W6: starting a second coordinator on the same database");
        rig.startReplica();
        Launched.awaitTrue(this::nodesSeeEachOther, NODES_MEET_WITHIN, "the two coordinators did not see each other");
        replicatedFlow = new CoordinatorFlow(http, rig.coordinatorPorts(), ROUTING_SEED);
        if (!options.warmup().isZero()) {
            System.out.println("warming up W6 for " + options.warmup().toSeconds() + " s");
            configureStubs(Workload.W6, false);
            await(load.closed(() -> verdict(Workload.W6), 8, options.warmup(), Long.MAX_VALUE));
            quiesce();
        }
    }

    private void stopReplica() throws InterruptedException {
        replicatedFlow = null;
        rig.stopReplica();
    }

    /**
     * Whether each running coordinator lists every one as live and answering. Until then a node
     * given a request for the other's transaction does not forward it but answers from the log,
     * which knows nothing of an undecided transaction.
     */
    private boolean nodesSeeEachOther() {
        for (int port : rig.coordinatorPorts()) {
            try {
                if (!CoordinatorStatus.read(port).answered().containsAll(rig.nodeNames())) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    private Report.Row measureClosed(Workload w, int clients) throws Exception {
        System.out.printf("%s closed loop, %d clients: Verdict, then the bound (%d s each)%n", w.label(), clients,
                options.duration().toSeconds());
        configureStubs(w, false);
        return measure(w, "closed " + clients, () -> load.closed(() -> verdict(w), clients, options.duration(), Long.MAX_VALUE),
                () -> load.closed(() -> bound(w), clients, options.duration(), Long.MAX_VALUE));
    }

    private Report.Row measureOpen(double rate) throws Exception {
        System.out.printf("W1 open loop at %.0f tx/s: Verdict, then the bound%n", rate);
        configureStubs(Workload.W1, false);
        return measure(Workload.W1, String.format("open %.0f/s", rate),
                () -> load.open(() -> verdict(Workload.W1), rate, options.duration()),
                () -> load.open(() -> bound(Workload.W1), rate, options.duration()));
    }

    private Report.Row measure(Workload w, String mode, Supplier<Future<RunResult>> verdictRun,
                               Supplier<Future<RunResult>> boundRun) throws Exception {
        Rig.Cpu cpu0 = rig.cpu();
        CoordinatorCounters counters0 = CoordinatorCounters.read(rig.coordinatorPorts());
        RunResult verdict = await(verdictRun.get());
        quiesce(); // phase 2 and its log writes belong to the run that caused them
        CoordinatorCounters counters = settledCounters().minus(counters0);
        Rig.Cpu cpu1 = rig.cpu();
        RunResult bound = await(boundRun.get());
        Rig.Cpu cpu2 = rig.cpu();
        return new Report.Row(w, mode, verdict, bound, counters, cpu1.minus(cpu0), cpu2.minus(cpu1));
    }

    Future<Outcome> verdict(Workload w) {
        return (w.coordinators > 1 ? replicatedFlow : verdictFlow).run(w.participantNames());
    }

    Future<Outcome> bound(Workload w) {
        return boundFlow.run(w.participants);
    }

    Load load() {
        return load;
    }

    /** Sets each stub's behaviour for a workload; the abort votes come from the second stub only. */
    void configureStubs(Workload w, boolean failPhaseTwo) {
        for (int i = 0; i < rig.stubPorts.size(); i++) {
            JsonObject settings = new JsonObject().put("delayMs", w.delayMs)
                    .put("abortEvery", i == 1 ? w.abortEvery : 0).put("failPhaseTwo", failPhaseTwo);
            Http.Reply reply = await(http.post(rig.stubPorts.get(i), "/_stub", settings.encode()));
            CoordinatorFlow.expect(reply, 200, "stub control");
        }
    }

    JsonObject stubCounters(int stub) {
        return new JsonObject(await(http.get(rig.stubPorts.get(stub), "/_stub")).text());
    }

    private void register() {
        for (int i = 0; i < rig.stubPorts.size(); i++) {
            // The coordinator signs every call with this secret; the stubs, which stand for the
            // cheapest possible participant, do not spend the few microseconds checking it.
            String body = new JsonObject().put("callbackUrl", "http://127.0.0.1:" + rig.stubPorts.get(i))
                    .put("callbackSecret", CallbackSignature.newSecret()).encode();
            Http.Reply reply = await(http.put(rig.coordinatorPort, "/participants/" + StubParticipants.name(i), body));
            if (reply.status() / 100 != 2) {
                throw CoordinatorFlow.unexpected(reply, "registration");
            }
        }
    }

    /** The database settings that decide what a forced write costs, printed with the results. */
    private String settings() {
        List<String> parts = new ArrayList<>();
        for (String name : List.of("server_version", "fsync", "synchronous_commit", "wal_sync_method", "commit_delay")) {
            Row row = await(decisions.query("show " + name).execute()).iterator().next();
            parts.add(name + "=" + row.getString(0));
        }
        return "PostgreSQL " + String.join(", ", parts) + " (synchronous_commit as seen by the bound's connections)";
    }

    /** Waits until the coordinators have nothing unfinished: every decision delivered, every ack recorded. */
    void quiesce() throws InterruptedException {
        Launched.awaitTrue(() -> unfinished() == 0, Duration.ofSeconds(120), "the coordinator did not finish its transactions");
    }

    /**
     * Transactions not yet finished on any coordinator, by the first one's status endpoint, which
     * asks the others; -1 if it or one of the others running does not answer. (A node just stopped
     * stays listed, silent, until declared dead; it held nothing by then, so it is not waited for.)
     */
    long unfinished() {
        try {
            CoordinatorStatus status = CoordinatorStatus.read(rig.coordinatorPort);
            return status.answered().containsAll(rig.nodeNames()) ? status.unfinished() : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * Counters once the run's last log records are written. A finished transaction's completion
     * reaches the log lazily, up to the coordinator's {@code verdict.log.lazy-delay} (100 ms by
     * default) after it finished, and is counted when its group is flushed: so read until the
     * counts have not moved for well over that delay.
     */
    private CoordinatorCounters settledCounters() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + SETTLE_LIMIT.toNanos();
        CoordinatorCounters last = CoordinatorCounters.read(rig.coordinatorPorts());
        long unchangedSince = System.nanoTime();
        while (System.nanoTime() - unchangedSince < QUIET.toNanos()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the coordinator's counters still moved " + SETTLE_LIMIT.toSeconds()
                        + " s after its transactions finished");
            }
            Thread.sleep(50);
            CoordinatorCounters now = CoordinatorCounters.read(rig.coordinatorPorts());
            if (!now.sameTransactionWork(last)) {
                unchangedSince = System.nanoTime();
            }
            last = now;
        }
        return last;
    }

    static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(15, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e.getCause() != null ? e.getCause().getMessage() : e.getMessage(), e);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            if (rig != null) {
                rig.close();
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }
}
