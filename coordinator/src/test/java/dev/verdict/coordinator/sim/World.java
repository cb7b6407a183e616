package dev.verdict.coordinator.sim;

import dev.verdict.coordinator.core.Reply;
import dev.verdict.coordinator.core.TransactionState;
import dev.verdict.coordinator.model.StoredTransaction;
import dev.verdict.coordinator.service.Caller;
import dev.verdict.coordinator.service.ServiceException;
import dev.verdict.coordinator.support.MemoryLog;
import dev.verdict.protocol.Outcome;
import dev.verdict.protocol.Vote;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The random actions of the simulated world, and healing: clients beginning, joining and finishing
 * transactions through either node; the network delivering, losing and duplicating messages; calls
 * timing out; time passing; processes crashing, restarting, freezing and waking; the log failing a
 * group before it is written or losing its acknowledgement; participants asking for outcomes.
 */
final class World {

    private final Simulation sim;

    World(Simulation sim) {
        this.sim = sim;
    }

    void act() {
        int roll = sim.rnd.nextInt(100);
        if (roll < 5) {
            begin();
        } else if (roll < 17) {
            clientStep();
        } else if (roll < 21) {
            clientCommand(pickAny(), sim.rnd.nextInt(4) != 0);
        } else if (roll < 49) {
            deliver(sim.rnd.nextInt(Math.max(1, sim.network.size())), false);
        } else if (roll < 51) {
            fault("drop", () -> sim.network.remove(sim.rnd.nextInt(sim.network.size())), !sim.network.isEmpty());
        } else if (roll < 53) {
            fault("duplicate", () -> deliver(sim.rnd.nextInt(sim.network.size()), true), !sim.network.isEmpty());
        } else if (roll < 55) {
            fault("deadline", this::deadline, !openCalls().isEmpty());
        } else if (roll < 70) {
            work(sim.pick(sim.nodes), 1 + sim.rnd.nextInt(6));
        } else if (roll < 77) {
            sim.time.now += 1 + sim.rnd.nextInt(6);
        } else if (roll < 78) {
            fault("clock jump", this::clockJump, !sim.running().isEmpty());
        } else if (roll < 79) {
            fault("crash", () -> crash(false), sim.nodes.stream().anyMatch(n -> n.process != null));
        } else if (roll < 80) {
            fault("crash", () -> crash(true), !committing().isEmpty());
        } else if (roll < 82) {
            restart();
        } else if (roll < 83) {
            fault("freeze", this::freeze, !sim.running().isEmpty());
        } else if (roll < 86) {
            wake();
        } else if (roll < 87) {
            fault("log group fails", this::failNextGroup, true);
        } else if (roll < 88) {
            fault("database crash", sim.log::crash, true);
            sim.log.failNextReads(sim.rnd.nextInt(4)); // its connections drop: reads and heartbeats fail too
        } else if (roll < 90) {
            sim.log.flush();
        } else {
            participantAsks();
        }
    }

    private void fault(String name, Runnable action, boolean enabled) {
        if (enabled) {
            sim.stats.faults++;
            sim.note("FAULT " + name);
            action.run();
        }
    }

    // --- clients and participants --------------------------------------------------------------------

    /** What one client still means to do with the transaction it began: join participants, then finish. */
    private static final class Script {
        final String tx;
        int joins;
        final boolean commit;

        Script(String tx, int joins, boolean commit) {
            this.tx = tx;
            this.joins = joins;
            this.commit = commit;
        }
    }

    private final List<Script> scripts = new java.util.ArrayList<>();

    private void begin() {
        SimNode node = sim.pick(sim.running());
        if (node == null || !sim.canBegin()) {
            return;
        }
        try {
            StoredTransaction tx = node.process.service().begin(null, Caller.ANYONE);
            sim.begunBy.put(tx.id(), node.process);
            scripts.add(new Script(tx.id(), sim.rnd.nextInt(4), sim.rnd.nextInt(5) != 0));
            sim.note("begin " + tx.id() + " at " + node.name);
        } catch (ServiceException e) {
            sim.note("begin refused at " + node.name + ": " + e.getClass().getSimpleName());
        }
    }

    /** One client moves on: its services join, or it finishes the transaction. */
    private void clientStep() {
        Script script = sim.pick(scripts);
        if (script == null) {
            return;
        }
        if (script.joins-- > 0) {
            join(script.tx);
        } else {
            scripts.remove(script);
            clientCommand(script.tx, script.commit);
        }
    }

    private String pickAny() {
        return sim.pick(List.copyOf(sim.begunBy.keySet()));
    }

    /** The kit's join: enlist at the coordinator, and only then record the work at the participant. */
    private void join(String tx) {
        SimParticipant p = sim.pick(sim.participants);
        Vote vote = sim.plannedVote();
        CompletionStage<StoredTransaction> enlisted = sim.request(tx, s -> s.enlist(tx, p.name));
        if (enlisted != null) {
            enlisted.whenComplete((ok, error) -> {
                if (ok != null) {
                    sim.note("  " + p.name + " joins " + tx + " (will vote " + vote + "): " + p.join(tx, vote));
                }
            });
        }
    }

    private void clientCommand(String tx, boolean commit) {
        if (tx == null) {
            return;
        }
        sim.note("client " + (commit ? "commit " : "rollback ") + tx);
        CompletionStage<StoredTransaction> answer = sim.request(tx, s -> commit ? s.commit(tx, Caller.ANYONE) : s.rollback(tx, Caller.ANYONE));
        if (answer != null) {
            answer.whenComplete((done, error) -> sim.checks.told(tx, Simulation.outcomeOf(done, error)));
        }
    }

    /** The kit's in-doubt resolver: a participant waiting on a transaction asks for its outcome. */
    private void participantAsks() {
        SimParticipant p = sim.pick(sim.participants);
        String tx = sim.pick(p.waiting());
        if (tx != null) {
            ask(p, tx);
        }
    }

    private void ask(SimParticipant p, String tx) {
        CompletionStage<dev.verdict.coordinator.core.Retention.Answer> answer = sim.request(tx, s -> s.outcome(tx));
        if (answer != null) {
            answer.whenComplete((said, error) -> {
                // The simulation never prunes: a decision, or PENDING while undecided.
                Outcome outcome = said == null ? null : switch (said) {
                    case COMMITTED -> Outcome.COMMITTED;
                    case ROLLED_BACK -> Outcome.ROLLED_BACK;
                    case PENDING, UNKNOWN -> null;
                };
                if (outcome != null) {
                    sim.note("  " + p.name + " asked about " + tx + ": " + outcome);
                    sim.checks.learnt(p, tx, outcome);
                    p.resolve(tx, outcome);
                }
            });
        }
    }

    // --- the network ---------------------------------------------------------------------------------

    private void deliver(int index, boolean keepCopy) {
        if (sim.network.isEmpty()) {
            return;
        }
        Call call = keepCopy ? sim.network.get(index) : sim.network.remove(index);
        if (!call.isReply()) {
            sim.checks.delivering(call);
            Reply reply = sim.participant(call.participant()).handle(call.kind(), call.tx());
            sim.note("  " + call.participant() + " got " + call.kind() + " " + call.tx() + ", replies " + reply);
            sim.network.add(call.answered(reply));
            return;
        }
        if (call.from().coordinator != null && call.from().isCurrent()) {
            sim.pending.remove(call);
            call.future().complete(call.reply());
        } else if (call.from() == currentOrFrozen(call.from())) {
            sim.network.add(call); // its process is frozen: the reply waits in the socket buffer
        }
    }

    private SimNode.Process currentOrFrozen(SimNode.Process p) {
        return sim.nodes.stream().map(n -> n.process).filter(q -> q == p).findFirst().orElse(null);
    }

    /** Calls still waiting for a reply, from processes that run. */
    private List<Call> openCalls() {
        sim.pending.removeIf(c -> c.future().isDone() || currentOrFrozen(c.from()) == null);
        return sim.pending.stream().filter(c -> c.from().isCurrent()).toList();
    }

    /** A call's deadline fires before its reply arrived (the message may still be on its way). */
    private void deadline() {
        Call call = sim.pick(openCalls());
        sim.note("  deadline of " + call.kind() + " " + call.tx() + " to " + call.participant());
        sim.pending.remove(call);
        call.future().complete(sim.failedDeadline());
    }

    // --- processes and the log -----------------------------------------------------------------------

    private void work(SimNode node, int steps) {
        for (int i = 0; i < steps && node.step(); i++) {
            // each step is one log group, one database read or one due timer
        }
    }

    private void clockJump() {
        SimNode node = sim.pick(sim.running());
        node.process.clock.offset += sim.rnd.nextBoolean() ? 200 : -200;
    }

    /** Processes driving the phase 2 of a recorded commit: crashing one is what takeover exists for. */
    private List<SimNode> committing() {
        return sim.nodes.stream().filter(n -> n.process != null && sim.begunBy.keySet().stream().anyMatch(tx ->
                n.process.service().held(tx).map(t -> t.tx().state() == TransactionState.COMMITTING).orElse(false))).toList();
    }

    /** @param aimed at a process driving phase 2 of a commit, else at any process */
    private void crash(boolean aimed) {
        SimNode node = sim.pick(aimed ? committing() : sim.nodes.stream().filter(n -> n.process != null).toList());
        sim.note("crash of " + node.name);
        node.crash();
        sim.stats.crashes++;
    }

    private void restart() {
        SimNode node = sim.pick(sim.nodes.stream().filter(n -> n.process == null).toList());
        if (node != null) {
            sim.note("restart of " + node.name);
            sim.start(node);
        }
    }

    private void freeze() {
        SimNode node = sim.pick(sim.running());
        sim.note("freeze of " + node.name);
        node.frozen = true;
        sim.stats.freezes++;
    }

    private void wake() {
        SimNode node = sim.pick(sim.nodes.stream().filter(n -> n.frozen).toList());
        if (node != null) {
            sim.note("wake of " + node.name);
            node.frozen = false;
        }
    }

    private void failNextGroup() {
        boolean lost = sim.rnd.nextBoolean();
        sim.log.failNextWrite(lost ? MemoryLog.Fault.BEFORE_WRITE : MemoryLog.Fault.ACK_LOST);
        sim.stats.groupsLost += lost ? 1 : 0;
    }

    // --- healing -------------------------------------------------------------------------------------

    /**
     * No more faults: every process runs, every message arrives, calls with no reply time out,
     * time passes beyond every timeout and retry, and participants ask about what they wait on,
     * until a pass of 100 ms changes nothing.
     */
    void heal() {
        sim.note("--- heal ---");
        sim.log.failNextWrite(MemoryLog.Fault.NONE);
        sim.log.failNextReads(0);
        sim.log.flush();
        for (SimNode n : sim.nodes) {
            n.frozen = false;
            if (n.process == null) {
                sim.start(n);
            }
        }
        String before = "";
        for (int round = 0; round < 400; round++) {
            drain();
            for (SimParticipant p : sim.participants) {
                p.waiting().forEach(tx -> ask(p, tx));
            }
            drain();
            String now = sim.checks.fingerprint();
            if (round > 3 && now.equals(before)) {
                return;
            }
            before = now;
            advance(100);
        }
        throw sim.violation("I4: the world did not settle after healing");
    }

    /** Until nothing moves: deliver every message, run every process's ready work, time out what is left. */
    private void drain() {
        for (int i = 0; i < 100_000; i++) {
            if (!sim.network.isEmpty()) {
                deliver(0, false);
            } else if (sim.nodes.stream().anyMatch(SimNode::step)) {
                sim.checks.everyStep();
            } else if (!openCalls().isEmpty()) {
                deadline();
            } else {
                return;
            }
        }
        throw sim.violation("I4: work never ran out while healing");
    }

    /** Lets {@code millis} of virtual time pass, firing each timer when it falls due. */
    private void advance(long millis) {
        long target = sim.time.now + millis;
        while (true) {
            long next = sim.nodes.stream().mapToLong(SimNode::nextTimer).min().orElse(Long.MAX_VALUE);
            if (next > target) {
                break;
            }
            sim.time.now = Math.max(sim.time.now, next);
            drain();
        }
        sim.time.now = target;
    }
}
