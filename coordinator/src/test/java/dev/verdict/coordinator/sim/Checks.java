package dev.verdict.coordinator.sim;

import dev.verdict.coordinator.core.TransactionState;
import dev.verdict.coordinator.model.StoredTransaction;
import dev.verdict.coordinator.port.TransactionQueries;
import dev.verdict.protocol.Outcome;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The invariants of docs/protocol.md, checked on the simulated world: at each delivery (I3), after
 * every action (I2, I5, I7, and no error logged by the coordinator, whose production assertions
 * log what they catch), and once healed (I1, I4, I5, I8).
 */
final class Checks {

    /** Every state reachable from each state; a sampled sequence of states must only ever move forward. */
    private static final Map<TransactionState, Set<TransactionState>> REACHABLE = Map.of(
            TransactionState.ACTIVE, EnumSet.of(TransactionState.PREPARING, TransactionState.COMMITTING,
                    TransactionState.ROLLING_BACK, TransactionState.COMMITTED, TransactionState.ROLLED_BACK,
                    TransactionState.HEURISTIC),
            TransactionState.PREPARING, EnumSet.of(TransactionState.COMMITTING, TransactionState.ROLLING_BACK,
                    TransactionState.COMMITTED, TransactionState.ROLLED_BACK, TransactionState.HEURISTIC),
            TransactionState.COMMITTING, EnumSet.of(TransactionState.COMMITTED, TransactionState.HEURISTIC),
            TransactionState.ROLLING_BACK, EnumSet.of(TransactionState.ROLLED_BACK, TransactionState.HEURISTIC),
            TransactionState.COMMITTED, EnumSet.noneOf(TransactionState.class),
            TransactionState.ROLLED_BACK, EnumSet.noneOf(TransactionState.class),
            TransactionState.HEURISTIC, EnumSet.noneOf(TransactionState.class));

    private final Simulation sim;
    private final Map<String, Outcome> toldClient = new HashMap<>();
    private final Set<String> contradicted = new LinkedHashSet<>();
    private final Map<String, Outcome> firstDurable = new HashMap<>();
    private final Map<SimNode.Process, Map<String, TransactionState>> seen = new IdentityHashMap<>();
    private final List<String> errors = new ArrayList<>();

    Checks(Simulation sim) {
        this.sim = sim;
    }

    /** A client heard this outcome (null: no outcome, such as 202 or 503). */
    void told(String tx, Outcome outcome) {
        if (outcome == null) {
            return;
        }
        Outcome earlier = toldClient.putIfAbsent(tx, outcome);
        if (earlier != null && earlier != outcome) {
            contradicted.add(tx);
        }
        sim.note("  client told " + tx + " " + outcome);
    }

    /** I3: no participant hears "committed" before the decision is durable. */
    void learnt(SimParticipant p, String tx, Outcome outcome) {
        if (outcome == Outcome.COMMITTED) {
            require(sim.log.durableDecision(tx) == Outcome.COMMITTED,
                    "I3: " + p.name + " learnt commit of " + tx + " before the decision was durable");
        }
    }

    void delivering(Call call) {
        if (call.kind() == Call.Kind.COMMIT) {
            require(sim.log.durableDecision(call.tx()) == Outcome.COMMITTED,
                    "I3: commit reached " + call.participant() + " for " + call.tx() + " before a durable commit decision");
        }
    }

    void everyStep() {
        if (!errors.isEmpty()) {
            throw sim.violation("the coordinator logged an error (a production assertion or a bug): " + errors);
        }
        for (String tx : sim.begunBy.keySet()) {
            Outcome durable = sim.log.durableDecision(tx);
            if (durable != null) {
                Outcome first = firstDurable.putIfAbsent(tx, durable);
                require(first == null || first == durable, "I2/I8: the logged decision of " + tx + " was reversed");
            }
        }
        for (SimParticipant p : sim.participants) {
            for (String tx : p.plannedVote.keySet()) {
                int effects = p.commitsApplied.getOrDefault(tx, 0) + p.rollbacksApplied.getOrDefault(tx, 0);
                require(effects <= 1, "I5: " + p.name + " applied the outcome of " + tx + " " + effects + " times");
            }
        }
        for (SimNode node : sim.nodes) {
            if (node.process != null) {
                checkMonotonic(node.process);
            }
        }
    }

    /** I7: as each process holds a transaction, its state only moves along the transition table. */
    private void checkMonotonic(SimNode.Process process) {
        Map<String, TransactionState> last = seen.computeIfAbsent(process, p -> new HashMap<>());
        for (String tx : sim.begunBy.keySet()) {
            Optional<StoredTransaction> held = process.service().held(tx);
            if (held.isPresent()) {
                TransactionState now = held.get().tx().state();
                TransactionState before = last.put(tx, now);
                require(before == null || before == now || REACHABLE.get(before).contains(now),
                        "I7: " + tx + " moved from " + before + " to " + now + " at " + process.coordinator.node().name());
            }
        }
    }

    void converged() {
        for (String tx : sim.begunBy.keySet()) {
            for (SimNode node : sim.nodes) {
                require(node.process.service().held(tx).isEmpty(), "I4: " + tx + " still in memory at " + node.name);
            }
            Optional<TransactionQueries.Logged> logged = sim.log.find(tx);
            StoredTransaction record = logged.map(TransactionQueries.Logged::tx).orElse(null);
            require(record == null || record.completedAt() != null, "I4: " + tx + " unfinished in the log: " + record);
            boolean committed = false;
            boolean rolledBack = false;
            for (SimParticipant p : sim.participants) {
                SimParticipant.State s = p.rows.get(tx);
                require(s != SimParticipant.State.ACTIVE && s != SimParticipant.State.PREPARED,
                        "I4: " + p.name + " still waits on " + tx + " (" + s + ")");
                committed |= p.commitsApplied.containsKey(tx);
                rolledBack |= p.rollbacksApplied.containsKey(tx);
            }
            Outcome told = toldClient.get(tx);
            sim.stats.count((record == null ? "no record" : record.tx().state().name()) + "/told=" + told);
            if (sim.delegated.contains(tx) && record != null && record.tx().decision() == Outcome.ROLLED_BACK) {
                // A one-phase commit is its participant's decision and leaves no record. Once its owner
                // was declared dead, another node answered with a presumed (fenced) rollback, which
                // binds a participant that asks but not one that had decided: the hazard of the
                // one-phase optimisation that docs/protocol.md states. Nothing else may differ.
                sim.stats.exposedOnePhase++;
                require(!(committed && rolledBack), "I1: one-phase " + tx + " committed and rolled back");
                continue;
            }
            require(record == null || record.tx().state() != TransactionState.HEURISTIC, "I1: " + tx + " ended HEURISTIC: " + record);
            require(!(committed && rolledBack), "I1: " + tx + " committed at one participant and rolled back at another");
            require(!contradicted.contains(tx), "I5: clients of " + tx + " were told different outcomes");
            require(told != Outcome.COMMITTED || !rolledBack, "I2: " + tx + " was reported committed but work rolled back");
            require(told != Outcome.ROLLED_BACK || !committed, "I1: " + tx + " was reported rolled back but work committed");
            Outcome decision = record == null ? null : record.tx().decision();
            require(decision != Outcome.COMMITTED || !rolledBack, "I1: " + tx + " logged committed, work rolled back");
            require(decision != Outcome.ROLLED_BACK || !committed, "I8: " + tx + " answered rolled back, work committed");
            require(decision != null || !committed || sim.delegated.contains(tx),
                    "I2: " + tx + " committed at a participant with no commit decision on record");
        }
        sim.stats.takeovers += sim.log.claims();
        sim.stats.fences += sim.log.fences();
    }

    /** What healing watches for change: participants' rows, what each process holds, the log. */
    String fingerprint() {
        StringBuilder b = new StringBuilder();
        sim.participants.forEach(p -> b.append(new java.util.TreeMap<>(p.rows)));
        for (SimNode node : sim.nodes) {
            for (String tx : sim.begunBy.keySet()) {
                node.process.service().held(tx).ifPresent(t -> b.append(node.name).append(tx).append(t.tx()));
            }
        }
        sim.begunBy.keySet().forEach(tx -> b.append(sim.log.find(tx)));
        return b.append(sim.network.size()).toString();
    }

    private void require(boolean ok, String what) {
        if (!ok) {
            throw sim.violation(what);
        }
    }

    /** Collects what the coordinator logs at ERROR while a simulation runs, and keeps the rest quiet. */
    ErrorLog captureErrors() {
        return new ErrorLog();
    }

    final class ErrorLog implements AutoCloseable {
        private final Logger logger = Logger.getLogger("dev.verdict.coordinator");
        private final Level level = logger.getLevel();
        private final Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                    errors.add(record.getMessage() + (record.getThrown() == null ? "" : " " + record.getThrown()));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };

        ErrorLog() {
            logger.setLevel(Level.SEVERE);
            logger.addHandler(handler);
        }

        @Override
        public void close() {
            logger.removeHandler(handler);
            logger.setLevel(level);
        }
    }
}
