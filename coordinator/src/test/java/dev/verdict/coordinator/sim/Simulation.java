package dev.verdict.coordinator.sim;

import dev.verdict.coordinator.core.Durability;
import dev.verdict.coordinator.core.Effect;
import dev.verdict.coordinator.core.Event;
import dev.verdict.coordinator.core.Outcome;
import dev.verdict.coordinator.core.Protocol;
import dev.verdict.coordinator.core.Reply;
import dev.verdict.coordinator.core.Step;
import dev.verdict.coordinator.core.Transaction;
import dev.verdict.coordinator.core.TransactionState;
import dev.verdict.coordinator.core.Vote;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A whole Verdict world in one thread, driven by one seed: the pure protocol core, a driver that
 * mirrors {@code TransactionService} (write the step, then send; gather replies into one event),
 * a log whose lazy writes are lost when the database crashes, participants that behave like the
 * sample kit, clients, a clock, and a network that loses, duplicates, delays and reorders.
 * Invariants I1-I7 are checked after every action and once more after healing.
 */
final class Simulation {

    /** Deliberate driver bugs, to prove the checks can fail. */
    enum Flaw { NONE, SEND_BEFORE_FORCING, NO_RECOVERY_ON_RESTART }

    private static final int MAX_TRANSACTIONS = 8;
    private static final Map<TransactionState, Set<TransactionState>> EDGES = Map.of(
            TransactionState.ACTIVE, EnumSet.of(TransactionState.PREPARING, TransactionState.ROLLING_BACK,
                    TransactionState.ROLLED_BACK, TransactionState.COMMITTED),
            TransactionState.PREPARING, EnumSet.of(TransactionState.COMMITTING, TransactionState.ROLLING_BACK,
                    TransactionState.ROLLED_BACK, TransactionState.COMMITTED, TransactionState.HEURISTIC),
            TransactionState.COMMITTING, EnumSet.of(TransactionState.COMMITTED, TransactionState.HEURISTIC),
            TransactionState.ROLLING_BACK, EnumSet.of(TransactionState.ROLLED_BACK, TransactionState.HEURISTIC),
            TransactionState.COMMITTED, EnumSet.noneOf(TransactionState.class),
            TransactionState.ROLLED_BACK, EnumSet.noneOf(TransactionState.class),
            TransactionState.HEURISTIC, EnumSet.noneOf(TransactionState.class));

    private final long seed;
    private final Flaw flaw;
    private final Random rnd;
    private final List<SimParticipant> participants = new ArrayList<>();
    private final Stats stats;

    // The log: what the database shows, and what survives its crash.
    private Map<String, Transaction> visible = new LinkedHashMap<>();
    private Map<String, Transaction> durable = new LinkedHashMap<>();
    private final Map<String, Outcome> firstDurableDecision = new HashMap<>();

    // The coordinator process's memory, lost when it crashes.
    private boolean up = true;
    private final Map<Long, Round> rounds = new LinkedHashMap<>();
    private final Set<String> clientWaiting = new LinkedHashSet<>();
    private long nextRound;

    private final List<Call> network = new ArrayList<>();
    private long now;
    private final Map<String, Long> expiresAt = new LinkedHashMap<>();
    private final Map<String, Outcome> toldClient = new HashMap<>();
    private final Set<String> contradicted = new LinkedHashSet<>();
    private final Set<String> delegated = new LinkedHashSet<>();
    /** Delegated (one-phase) transactions whose lazily written outcome a database crash may have lost. */
    private final Set<String> exposed = new LinkedHashSet<>();
    private final Deque<String> trace = new ArrayDeque<>();

    private static final class Round {
        final Call.Kind kind;
        final String tx;
        final Map<String, Reply> replies = new LinkedHashMap<>();
        final Set<String> pending = new LinkedHashSet<>();

        Round(Call.Kind kind, String tx) {
            this.kind = kind;
            this.tx = tx;
        }
    }

    Simulation(long seed, Flaw flaw, Stats stats) {
        this.seed = seed;
        this.flaw = flaw;
        this.rnd = new Random(seed);
        this.stats = stats;
        int n = 2 + rnd.nextInt(3);
        for (int i = 0; i < n; i++) {
            participants.add(new SimParticipant("p" + i));
        }
    }

    /** Runs {@code steps} random actions with faults, then heals and checks the end state. */
    void run(int steps) {
        for (int i = 0; i < steps; i++) {
            act();
            checkEveryStep();
        }
        heal();
        checkConverged();
    }

    // --- random actions --------------------------------------------------------------------------

    private void act() {
        int roll = rnd.nextInt(100);
        if (roll < 6) {
            begin();
        } else if (roll < 14) {
            join();
        } else if (roll < 20) {
            clientCommand(rnd.nextInt(4) == 0 ? new Event.RollbackRequested() : new Event.CommitRequested());
        } else if (roll < 50) {
            deliver(rnd.nextInt(Math.max(1, network.size())), false);
        } else if (roll < 54) {
            fault("drop", () -> network.remove(rnd.nextInt(network.size())), !network.isEmpty());
        } else if (roll < 58) {
            fault("duplicate", () -> deliver(rnd.nextInt(network.size()), true), !network.isEmpty());
        } else if (roll < 62) {
            fault("deadline", this::deadline, up && rounds.values().stream().anyMatch(r -> !r.pending.isEmpty()));
        } else if (roll < 70) {
            wake(pick(unfinished()));
        } else if (roll < 76) {
            now += 1 + rnd.nextInt(10);
        } else if (roll < 78) {
            fault("clock jump", () -> now += rnd.nextBoolean() ? 200 : -200, true);
        } else if (roll < 80) {
            fault("spurious timeout", () -> apply(pick(unfinished()), new Event.Expired(), false), up);
        } else if (roll < 82) {
            fault("coordinator crash", this::crash, up);
        } else if (roll < 83) {
            fault("database crash", this::databaseCrash, true);
        } else if (roll < 90) {
            if (!up) {
                restart();
            }
        } else if (roll < 94) {
            durable = new LinkedHashMap<>(visible);
            note("background flush");
        } else {
            participantAsks();
        }
    }

    private void fault(String name, Runnable action, boolean enabled) {
        if (enabled) {
            stats.faults++;
            note("FAULT " + name);
            action.run();
        }
    }

    private void begin() {
        if (!up || expiresAt.size() >= MAX_TRANSACTIONS) {
            return;
        }
        String tx = "t" + expiresAt.size();
        visible.put(tx, Transaction.begun(tx)); // lazy: a database crash may lose it
        expiresAt.put(tx, now + 20 + rnd.nextInt(80));
        note("begin " + tx);
    }

    /** The kit's join: enlist at the coordinator, then record the work at the participant. */
    private void join() {
        String tx = pick(List.copyOf(expiresAt.keySet()));
        if (!up || tx == null) {
            return;
        }
        SimParticipant p = participants.get(rnd.nextInt(participants.size()));
        if (apply(tx, new Event.Enlist(p.name), false)) {
            int r = rnd.nextInt(10);
            Vote vote = r < 7 ? Vote.PREPARED : r < 8 ? Vote.READ_ONLY : Vote.ABORT;
            note("  " + p.name + " joins " + tx + " (will vote " + vote + "): " + p.join(tx, vote));
        }
    }

    private void clientCommand(Event command) {
        String tx = pick(List.copyOf(expiresAt.keySet()));
        if (up && tx != null) {
            apply(tx, command, true);
        }
    }

    // --- the driver ------------------------------------------------------------------------------

    /** Mirrors TransactionService.apply: run the core, write, tell waiting clients, then send. */
    private boolean apply(String tx, Event event, boolean fromClient) {
        Transaction current = tx == null ? null : visible.get(tx);
        if (current == null) {
            return false;
        }
        Step step = Protocol.apply(current, event);
        note("apply " + event.getClass().getSimpleName() + " to " + tx + " " + current.state() + " -> "
                + step.next().state() + (step.isRejected() ? " rejected " + step.rejection() : " " + step.effects()));
        if (step.isRejected()) {
            if (fromClient && current.state() != TransactionState.HEURISTIC) { // a heuristic is reported as such
                switch (step.rejection()) {
                    case ALREADY_ROLLED_BACK -> tell(tx, Outcome.ROLLED_BACK);
                    case ALREADY_COMMITTED -> tell(tx, Outcome.COMMITTED);
                    default -> { }
                }
            }
            return false;
        }
        Transaction next = step.next();
        checkTransition(current, next, event, step);
        if (step.durability() != Durability.NONE || !step.effects().isEmpty()) {
            visible.put(tx, next);
            if (step.durability() == Durability.FORCED && flaw != Flaw.SEND_BEFORE_FORCING) {
                durable = new LinkedHashMap<>(visible); // a forced commit flushes all WAL before it
            }
        }
        if (fromClient && !(event instanceof Event.Enlist)) {
            clientWaiting.add(tx);
        }
        if (next.state().isDecided() && clientWaiting.remove(tx) && next.state() != TransactionState.HEURISTIC) {
            tell(tx, next.decision());
        }
        for (Effect effect : step.effects()) {
            if (effect instanceof Effect.SendPrepare s) {
                send(Call.Kind.PREPARE, tx, s.participants());
            } else if (effect instanceof Effect.SendCommit s) {
                send(Call.Kind.COMMIT, tx, s.participants());
            } else if (effect instanceof Effect.SendRollback s) {
                send(Call.Kind.ROLLBACK, tx, s.participants());
            } else if (effect instanceof Effect.SendOnePhaseCommit s) {
                delegated.add(tx);
                send(Call.Kind.ONE_PHASE, tx, List.of(s.participant()));
            } // RetryLater: the poller's wake covers it (the real driver stores it as the due time)
        }
        return true;
    }

    private void send(Call.Kind kind, String tx, List<String> to) {
        long id = nextRound++;
        Round round = new Round(kind, tx);
        rounds.put(id, round);
        for (String p : to) {
            round.pending.add(p);
            network.add(new Call(id, kind, tx, p, null));
        }
    }

    private void deliver(int index, boolean keepCopy) {
        if (network.isEmpty()) {
            return;
        }
        Call call = keepCopy ? network.get(index) : network.remove(index);
        if (!call.isReply()) {
            if (call.kind() == Call.Kind.COMMIT) {
                Transaction logged = durable.get(call.tx());
                require(logged != null && logged.decision() == Outcome.COMMITTED,
                        "I3: commit reached " + call.participant() + " for " + call.tx() + " before a durable commit decision");
            }
            Reply reply = participant(call.participant()).handle(call.kind(), call.tx());
            note("  " + call.participant() + " got " + call.kind() + " " + call.tx() + ", replies " + reply);
            network.add(call.answered(reply));
            return;
        }
        Round round = up ? rounds.get(call.round()) : null;
        if (round == null || !round.pending.remove(call.participant())) {
            note("  late reply dropped: " + call);
            return;
        }
        round.replies.put(call.participant(), call.reply());
        finishIfComplete(call.round(), round);
    }

    /** A call's deadline fires before its reply arrived (the message may still be on its way). */
    private void deadline() {
        List<Long> open = rounds.entrySet().stream().filter(e -> !e.getValue().pending.isEmpty())
                .map(Map.Entry::getKey).toList();
        long id = open.get(rnd.nextInt(open.size()));
        Round round = rounds.get(id);
        String p = round.pending.iterator().next();
        round.pending.remove(p);
        round.replies.put(p, new Reply.Failed("deadline exceeded"));
        finishIfComplete(id, round);
    }

    private void finishIfComplete(long id, Round round) {
        if (!round.pending.isEmpty()) {
            return;
        }
        rounds.remove(id);
        Event event = switch (round.kind) {
            case PREPARE -> new Event.VotesReceived(round.replies);
            case ONE_PHASE -> new Event.OnePhaseReplied(round.replies.values().iterator().next());
            default -> new Event.PhaseTwoReplied(round.replies);
        };
        apply(round.tx, event, false);
    }

    /** The poller: a due transaction times out if undecided and expired, else retries. */
    private void wake(String tx) {
        if (!up || tx == null || rounds.values().stream().anyMatch(r -> r.tx.equals(tx))) {
            return; // calls in flight: the real poller leaves it alone too
        }
        Transaction t = visible.get(tx);
        boolean expired = !t.state().isDecided() && now >= expiresAt.get(tx);
        apply(tx, expired ? new Event.Expired() : new Event.RetryDue(), false);
    }

    private void crash() {
        up = false;
        rounds.clear();
        clientWaiting.clear();
        stats.crashes++;
    }

    /** PostgreSQL dies: writes not yet flushed are lost; the coordinator fails with it. */
    private void databaseCrash() {
        visible = new LinkedHashMap<>(durable);
        exposed.addAll(delegated);
        if (up) {
            crash();
        }
    }

    private void restart() {
        up = true;
        note("coordinator restarts");
        if (flaw == Flaw.NO_RECOVERY_ON_RESTART) {
            return;
        }
        for (String tx : unfinished()) {
            if (visible.get(tx).state().isDecided()) {
                stats.decidedRecovered++;
            }
            apply(tx, new Event.Recovered(), false);
        }
    }

    /** The kit's in-doubt resolver: a waiting participant asks for the outcome (none: presumed abort). */
    private void participantAsks() {
        SimParticipant p = participants.get(rnd.nextInt(participants.size()));
        List<String> waiting = p.rows.entrySet().stream()
                .filter(e -> e.getValue() == SimParticipant.State.ACTIVE || e.getValue() == SimParticipant.State.PREPARED)
                .map(Map.Entry::getKey).toList();
        String tx = pick(waiting);
        if (!up || tx == null) {
            return;
        }
        Transaction t = visible.get(tx);
        Outcome answer = t == null ? Outcome.ROLLED_BACK : t.state().isDecided() ? t.decision() : null;
        note("  " + p.name + " asks about " + tx + ": " + answer);
        if (answer != null) {
            if (answer == Outcome.COMMITTED) {
                Transaction logged = durable.get(tx);
                require(logged != null && logged.decision() == Outcome.COMMITTED,
                        "I3: " + p.name + " learnt commit of " + tx + " before the decision was durable");
            }
            p.resolve(tx, answer);
        }
    }

    // --- healing ---------------------------------------------------------------------------------

    /** No more faults: deliver everything, let deadlines and timeouts fire, until nothing changes. */
    private void heal() {
        note("--- heal ---");
        if (!up) {
            restart();
        }
        for (int i = 0; i < 10_000; i++) {
            if (!network.isEmpty()) {
                deliver(0, false);
            } else if (!rounds.isEmpty()) {
                deadline(); // what is still pending was lost on the wire
            } else {
                now = Math.max(now, expiresAt.values().stream().mapToLong(Long::longValue).max().orElse(0)) + 1;
                String before = fingerprint();
                unfinished().forEach(this::wake);
                for (SimParticipant p : participants) {
                    for (int k = 0; k < 3; k++) {
                        participantAsksAll(p);
                    }
                }
                if (network.isEmpty() && before.equals(fingerprint())) {
                    return;
                }
            }
            checkEveryStep();
        }
        throw violation("I4: the world did not settle after healing");
    }

    private void participantAsksAll(SimParticipant p) {
        for (String tx : List.copyOf(p.rows.keySet())) {
            Transaction t = visible.get(tx);
            SimParticipant.State s = p.rows.get(tx);
            if ((s == SimParticipant.State.ACTIVE || s == SimParticipant.State.PREPARED)
                    && (t == null || t.state().isDecided())) {
                p.resolve(tx, t == null ? Outcome.ROLLED_BACK : t.decision());
            }
        }
    }

    private String fingerprint() {
        StringBuilder b = new StringBuilder(visible.toString());
        participants.forEach(p -> b.append(p.rows));
        return b.toString();
    }

    // --- invariants ------------------------------------------------------------------------------

    private void checkTransition(Transaction current, Transaction next, Event event, Step step) {
        if (current.state() != next.state()) {
            require(EDGES.get(current.state()).contains(next.state()),
                    "I7: illegal move " + current.state() + " -> " + next.state() + " of " + current.id() + " on " + event);
        }
        if (current.decision() != null) {
            require(current.decision() == next.decision(),
                    "I2: decision of " + current.id() + " changed from " + current.decision() + " to " + next.decision());
        }
        if (event instanceof Event.Expired && current.state().isDecided()) {
            require(next.equals(current) && step.effects().isEmpty(),
                    "I7: a timeout touched decided transaction " + current.id());
        }
    }

    /**
     * Clients must all hear the same outcome (checked at the end). The one exception: a one-phase
     * outcome is the participant's decision, which the coordinator records lazily (no forced write
     * for one participant), so a database crash can make a later caller hear the presumed abort.
     */
    private void tell(String tx, Outcome outcome) {
        Outcome earlier = toldClient.putIfAbsent(tx, outcome);
        if (earlier != null && earlier != outcome) {
            contradicted.add(tx);
        }
        note("  client told " + tx + " " + outcome);
    }

    private void checkEveryStep() {
        durable.forEach((tx, t) -> {
            if (t.decision() != null) {
                Outcome first = firstDurableDecision.putIfAbsent(tx, t.decision());
                require(first == null || first == t.decision(), "I2: logged decision of " + tx + " was reversed");
            }
        });
        for (SimParticipant p : participants) {
            for (String tx : p.plannedVote.keySet()) {
                int effects = p.commitsApplied.getOrDefault(tx, 0) + p.rollbacksApplied.getOrDefault(tx, 0);
                require(effects <= 1, "I5: " + p.name + " applied the outcome of " + tx + " " + effects + " times");
            }
        }
    }

    private void checkConverged() {
        for (String tx : expiresAt.keySet()) {
            Transaction t = visible.get(tx);
            require(t == null || t.state().isTerminal(), "I4: " + tx + " unfinished after healing: " + t);
            boolean committed = false;
            boolean rolledBack = false;
            for (SimParticipant p : participants) {
                SimParticipant.State s = p.rows.get(tx);
                require(s != SimParticipant.State.ACTIVE && s != SimParticipant.State.PREPARED,
                        "I4: " + p.name + " still waits on " + tx + " (" + s + ")");
                committed |= p.commitsApplied.containsKey(tx);
                rolledBack |= p.rollbacksApplied.containsKey(tx);
            }
            Outcome told = toldClient.get(tx);
            stats.count(t == null ? null : t.state(), told);
            if (exposed.contains(tx)) {
                // A one-phase outcome is the participant's own durable decision; the coordinator's
                // lazy copy may have died with its database, leaving a heuristic or a presumed abort.
                stats.onePhaseExposedToDatabaseCrash++;
                continue;
            }
            require(t == null || t.state() != TransactionState.HEURISTIC, "I1: " + tx + " ended HEURISTIC: " + t);
            require(!(committed && rolledBack), "I1: " + tx + " committed at one participant and rolled back at another");
            require(!contradicted.contains(tx), "I5: clients of " + tx + " were told different outcomes");
            require(told != Outcome.COMMITTED || !rolledBack, "I2: " + tx + " was reported committed but work rolled back");
            require(told != Outcome.ROLLED_BACK || !committed, "I1: " + tx + " was reported rolled back but work committed");
            if (t != null) {
                require(t.decision() != Outcome.COMMITTED || !rolledBack, "I1: " + tx + " logged committed, work rolled back");
                require(t.decision() != Outcome.ROLLED_BACK || !committed, "I1: " + tx + " logged rolled back, work committed");
            }
        }
    }

    private void require(boolean ok, String what) {
        if (!ok) {
            throw violation(what);
        }
    }

    private AssertionError violation(String what) {
        List<String> shown = new ArrayList<>(trace);
        if (!Boolean.getBoolean("verdict.sim.full-trace")) {
            shown = shown.subList(Math.max(0, shown.size() - 40), shown.size());
        }
        return new AssertionError("seed " + seed + ": " + what + "\nlast actions:\n  " + String.join("\n  ", shown)
                + "\nreplay: -Dverdict.sim.seed=" + seed + " (-Dverdict.sim.full-trace=true for every action)");
    }

    // --- helpers ---------------------------------------------------------------------------------

    private List<String> unfinished() {
        return visible.entrySet().stream().filter(e -> !e.getValue().state().isTerminal()).map(Map.Entry::getKey).toList();
    }

    private SimParticipant participant(String name) {
        return participants.stream().filter(p -> p.name.equals(name)).findFirst().orElseThrow();
    }

    private <T> T pick(List<T> from) {
        return from.isEmpty() ? null : from.get(rnd.nextInt(from.size()));
    }

    private void note(String line) {
        trace.addLast("[" + now + "] " + line);
    }

    /** What a batch of runs explored, so a test can check the simulation reaches the hard cases. */
    static final class Stats {
        int faults;
        int crashes;
        int decidedRecovered;
        int onePhaseExposedToDatabaseCrash;
        final Map<String, Integer> endings = new java.util.TreeMap<>();

        void count(TransactionState state, Outcome told) {
            endings.merge((state == null ? "LOST(presumed abort)" : state.name()) + "/told=" + told, 1, Integer::sum);
        }

        int ended(TransactionState state) {
            return endings.entrySet().stream().filter(e -> e.getKey().startsWith(state.name() + "/"))
                    .mapToInt(Map.Entry::getValue).sum();
        }
    }
}
