package dev.verdict.coordinator.sim;

import dev.verdict.coordinator.core.Reply;
import dev.verdict.coordinator.metrics.VerdictMetrics;
import dev.verdict.coordinator.model.Callback;
import dev.verdict.coordinator.model.Participant;
import dev.verdict.coordinator.port.ParticipantClient;
import dev.verdict.coordinator.port.ParticipantStore;
import dev.verdict.coordinator.port.Tracing;
import dev.verdict.coordinator.support.MemoryHistory;
import dev.verdict.coordinator.service.CallbackPolicy;
import dev.verdict.coordinator.service.CoordinatorNode;
import dev.verdict.coordinator.service.CrashPoints;
import dev.verdict.coordinator.service.DriverSettings;
import dev.verdict.coordinator.service.TransactionService;
import dev.verdict.coordinator.support.MemoryLog;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * One coordinator node of the simulation: a stable name, and the process currently running under
 * it. A process is the real {@link CoordinatorNode} on the simulation's twins of its ports; a
 * crash throws it away with its memory, its timers and its threads' queues, as SIGKILL would.
 */
final class SimNode {

    /** One process start: the real coordinator and the twins it runs on. */
    final class Process {
        final CoordinatorNode coordinator;
        final SimScheduler scheduler;
        final SimExecutor logThread = new SimExecutor();
        final SimExecutor recoveryThread = new SimExecutor();
        final SimExecutor blocking = new SimExecutor();
        final SimTime.WallClock clock;

        Process(long seed) {
            scheduler = new SimScheduler(time);
            clock = time.new WallClock();
            CoordinatorNode.Ports ports = new CoordinatorNode.Ports(log, log, log, log, participants, new Client(),
                    scheduler, logThread, recoveryThread, blocking, clock, new Random(seed),
                    new VerdictMetrics(new SimpleMeterRegistry()), CrashPoints.NONE, MemoryHistory.operators(blocking));
            coordinator = new CoordinatorNode(name, ports, settings, new CallbackPolicy(Optional.empty()));
            coordinator.node().address("sim://" + name);
        }

        boolean isCurrent() {
            return process == this && !frozen;
        }

        TransactionService service() {
            return coordinator.transactions();
        }

        /** Participant calls go onto the simulated network. */
        private final class Client implements ParticipantClient {
            @Override
            public CompletionStage<Reply> prepare(Callback callback, String tx, Tracing.Span span) {
                return send(Call.Kind.PREPARE, callback.url(), tx);
            }

            @Override
            public CompletionStage<Reply> commit(Callback callback, String tx, Tracing.Span span) {
                return send(Call.Kind.COMMIT, callback.url(), tx);
            }

            @Override
            public CompletionStage<Reply> rollback(Callback callback, String tx, Tracing.Span span) {
                return send(Call.Kind.ROLLBACK, callback.url(), tx);
            }

            @Override
            public CompletionStage<Reply> commitOnePhase(Callback callback, String tx, Tracing.Span span) {
                return send(Call.Kind.ONE_PHASE, callback.url(), tx);
            }

            private CompletionStage<Reply> send(Call.Kind kind, URI url, String tx) {
                CompletableFuture<Reply> reply = new CompletableFuture<>();
                network.accept(new Call(Process.this, kind, tx, url.getHost(), null, reply));
                return reply;
            }
        }
    }

    final String name;
    private final SimTime time;
    private final MemoryLog log;
    private final ParticipantStore participants;
    private final DriverSettings settings;
    private final Consumer<Call> network;
    Process process;
    boolean frozen;

    SimNode(String name, SimTime time, MemoryLog log, ParticipantStore participants, DriverSettings settings,
            Consumer<Call> network) {
        this.name = name;
        this.time = time;
        this.log = log;
        this.participants = participants;
        this.settings = settings;
        this.network = network;
    }

    Process start(long seed, boolean recover) {
        process = new Process(seed);
        frozen = false;
        if (recover) {
            process.coordinator.recovery().start();
        }
        return process;
    }

    void crash() {
        process = null;
        frozen = false;
    }

    boolean isRunning() {
        return process != null && !frozen;
    }

    /** Runs one ready piece of this node's work (a log group, a database read, a due timer); false if none. */
    boolean step() {
        if (!isRunning()) {
            return false;
        }
        return process.logThread.runOne() || process.recoveryThread.runOne() || process.blocking.runOne()
                || process.scheduler.runOneDue();
    }

    long nextTimer() {
        return isRunning() ? process.scheduler.nextAt() : Long.MAX_VALUE;
    }

    /** Participants registered once, shared by every node: the registry's database table. */
    static ParticipantStore registry(List<String> names) {
        Map<String, Participant> byName = new java.util.LinkedHashMap<>();
        Instant at = Instant.EPOCH;
        for (String n : names) {
            byName.put(n, new Participant(n, new Callback(URI.create("sim://" + n + "/verdict"), null), at, at));
        }
        return new ParticipantStore() {
            @Override
            public Optional<Participant> find(String name) {
                return Optional.ofNullable(byName.get(name));
            }

            @Override
            public List<Participant> list() {
                return List.copyOf(byName.values());
            }

            @Override
            public Upserted upsert(String name, Callback callback, Instant now) {
                throw new UnsupportedOperationException("the simulation registers participants up front");
            }

            @Override
            public boolean delete(String name, Instant now) {
                throw new UnsupportedOperationException("the simulation registers participants up front");
            }

            @Override
            public boolean pause(String name, dev.verdict.coordinator.model.Pause pause) {
                throw new UnsupportedOperationException("the simulation pauses no participant");
            }
        };
    }
}
