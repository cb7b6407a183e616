package dev.verdict.coordinator.sim;

import dev.verdict.coordinator.core.Reply;
import dev.verdict.coordinator.core.RetryPolicy;
import dev.verdict.coordinator.core.TransactionState;
import dev.verdict.coordinator.model.Node;
import dev.verdict.coordinator.model.StoredTransaction;
import dev.verdict.coordinator.service.DriverSettings;
import dev.verdict.coordinator.service.ServiceException;
import dev.verdict.coordinator.service.TransactionService;
import dev.verdict.coordinator.support.MemoryLog;
import dev.verdict.protocol.Outcome;
import dev.verdict.protocol.Vote;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * A whole Verdict world in one thread, driven by one seed: two coordinator nodes running the real
 * service, driver, log writer and recovery ({@link SimNode}) on twins of their ports (an in-memory
 * log that can fail a group before or after writing it, virtual timers, a network that loses,
 * duplicates, delays and reorders), participants that behave like the sample kit, and clients
 * that send each request to either node. Processes crash (their memory is lost), freeze past the
 * node timeout and wake up again. Invariants I1-I8 are checked after every action and once more
 * after healing; see {@link World} for the actions and {@link Checks} for the checks.
 */
final class Simulation {

    /** Deliberately broken worlds, to prove the checks can fail. */
    enum Flaw { NONE, ACK_BEFORE_FLUSH, NO_FENCE, NO_RECOVERY_ON_RESTART }

    static final DriverSettings SETTINGS = new DriverSettings(Duration.ofMillis(40), Duration.ofHours(1),
            Duration.ofMillis(30), new RetryPolicy(Duration.ofMillis(5), Duration.ofMillis(40)), 64, 64, 8,
            Duration.ofMillis(3), 6, Duration.ofMillis(10), Duration.ofMillis(60), 4);
    private static final int MAX_TRANSACTIONS = 10;

    final long seed;
    final Flaw flaw;
    final Random rnd;
    final Stats stats;
    final SimTime time = new SimTime();
    final MemoryLog log;
    final List<SimParticipant> participants = new ArrayList<>();
    final List<SimNode> nodes = new ArrayList<>();
    final List<Call> network = new ArrayList<>();
    /** Calls whose reply has not reached the driver yet, so a deadline can still fire for them. */
    final List<Call> pending = new ArrayList<>();
    final Map<String, SimNode.Process> begunBy = new LinkedHashMap<>();
    /** Transactions handed to their single participant to decide (one-phase commit): see {@link Checks}. */
    final Set<String> delegated = new LinkedHashSet<>();
    final Checks checks;
    private final Deque<String> trace = new ArrayDeque<>();
    private long starts;

    Simulation(long seed, Flaw flaw, Stats stats) {
        this.seed = seed;
        this.flaw = flaw;
        this.rnd = new Random(seed);
        this.stats = stats;
        MemoryLog.Flaw storeFlaw = flaw == Flaw.ACK_BEFORE_FLUSH ? MemoryLog.Flaw.ACK_BEFORE_FLUSH
                : flaw == Flaw.NO_FENCE ? MemoryLog.Flaw.NO_FENCE : MemoryLog.Flaw.NONE;
        this.log = new MemoryLog(time::database, storeFlaw);
        int n = 2 + rnd.nextInt(3);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            participants.add(new SimParticipant("p" + i));
            names.add("p" + i);
        }
        var registry = SimNode.registry(names);
        for (String name : List.of("c1", "c2")) {
            nodes.add(new SimNode(name, time, log, registry, SETTINGS, this::sent));
        }
        this.checks = new Checks(this);
    }

    /** Runs {@code steps} random actions with faults, then heals and checks the end state. */
    void run(int steps) {
        try (Checks.ErrorLog errors = checks.captureErrors()) {
            nodes.forEach(n -> start(n));
            World world = new World(this);
            for (int i = 0; i < steps; i++) {
                world.act();
                checks.everyStep();
            }
            world.heal();
            checks.converged();
        }
    }

    // --- the parts the world and the checks share ----------------------------------------------------

    void start(SimNode node) {
        node.start(seed * 31 + starts++, flaw != Flaw.NO_RECOVERY_ON_RESTART || starts <= nodes.size());
    }

    private void sent(Call call) {
        network.add(call);
        pending.add(call);
        if (call.kind() == Call.Kind.ONE_PHASE) {
            delegated.add(call.tx());
        }
    }

    List<SimNode> running() {
        return nodes.stream().filter(SimNode::isRunning).toList();
    }

    /**
     * A request as a client or participant sends it: to either node, which relays it to the live
     * owner (as OwnerForwarding does) or answers it. Null when it cannot be delivered: no node
     * runs, or the owner it was relayed to is frozen or gone (the client hears 503).
     */
    <T> CompletionStage<T> request(String tx, Function<TransactionService, CompletionStage<T>> command) {
        List<SimNode> up = running();
        if (up.isEmpty()) {
            return null;
        }
        SimNode entry = up.get(rnd.nextInt(up.size()));
        Optional<Node> owner = entry.process.service().forwardTarget(tx);
        if (owner.isEmpty()) {
            return command.apply(entry.process.service());
        }
        SimNode target = nodes.stream().filter(n -> owner.get().address().equals("sim://" + n.name)).findFirst().orElseThrow();
        if (!target.isRunning()) {
            note("  relay of " + tx + " from " + entry.name + " to " + target.name + " fails: owner not answering");
            return null;
        }
        stats.forwarded++;
        return command.apply(target.process.service());
    }

    /** What a client is told by commit or rollback, as the API would answer it; null for no outcome. */
    static Outcome outcomeOf(StoredTransaction tx, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        StoredTransaction told = tx;
        if (cause instanceof ServiceException.Rejected r) {
            told = r.tx;
        } else if (cause != null) {
            return null;
        }
        TransactionState state = told.tx().state();
        return state.isDecided() && state != TransactionState.HEURISTIC ? told.tx().decision() : null;
    }

    Vote plannedVote() {
        int r = rnd.nextInt(10);
        return r < 7 ? Vote.PREPARED : r < 8 ? Vote.READ_ONLY : Vote.ABORT;
    }

    boolean canBegin() {
        return begunBy.size() < MAX_TRANSACTIONS;
    }

    SimParticipant participant(String name) {
        return participants.stream().filter(p -> p.name.equals(name)).findFirst().orElseThrow();
    }

    Reply failedDeadline() {
        return new Reply.Failed("deadline exceeded");
    }

    <T> T pick(List<T> from) {
        return from.isEmpty() ? null : from.get(rnd.nextInt(from.size()));
    }

    void note(String line) {
        trace.addLast("[" + time.now + "] " + line);
        if (trace.size() > 5_000) {
            trace.removeFirst();
        }
    }

    AssertionError violation(String what) {
        List<String> shown = new ArrayList<>(trace);
        if (!Boolean.getBoolean("verdict.sim.full-trace")) {
            shown = shown.subList(Math.max(0, shown.size() - 60), shown.size());
        }
        return new AssertionError("seed " + seed + ": " + what + "\nlast actions:\n  " + String.join("\n  ", shown)
                + "\nreplay: -Dverdict.sim.seed=" + seed + " (-Dverdict.sim.full-trace=true for every action)");
    }

    /** What a batch of runs explored, so a test can check the simulation reaches the hard cases. */
    static final class Stats {
        int faults;
        int crashes;
        int freezes;
        int takeovers;
        int fences;
        int forwarded;
        int groupsLost;
        int exposedOnePhase;
        final Map<String, Integer> endings = new java.util.TreeMap<>();

        void count(String ending) {
            endings.merge(ending, 1, Integer::sum);
        }

        int ended(String prefix) {
            return endings.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                    .mapToInt(Map.Entry::getValue).sum();
        }
    }
}
