package dev.verdict.coordinator.sim;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verdict.coordinator.core.TransactionState;
import org.junit.jupiter.api.Test;

/**
 * Seeded simulation of the protocol core under faults (tier 4 of the test plan). Each seed builds
 * a world and runs random actions with lost, duplicated and late messages, deadlines, clock jumps,
 * coordinator and database crashes; invariants are checked after every action.
 *
 * <p>{@code -Dverdict.sim.seeds=N} runs more seeds; {@code -Dverdict.sim.seed=S} replays one.
 */
class ProtocolSimulationTest {

    private static final int STEPS = 400;

    @Test
    void invariantsHoldForEverySeed() {
        String replay = System.getProperty("verdict.sim.seed");
        long first = replay != null ? Long.parseLong(replay) : Long.getLong("verdict.sim.first-seed", 1);
        int seeds = replay != null ? 1 : Integer.getInteger("verdict.sim.seeds", 3_000);
        Simulation.Stats stats = new Simulation.Stats();
        long started = System.nanoTime();
        for (long seed = first; seed < first + seeds; seed++) {
            new Simulation(seed, Simulation.Flaw.NONE, stats).run(STEPS);
        }
        System.out.printf("simulation: %d seeds x %d steps in %d ms; %d faults, %d crashes, %d decided"
                        + " transactions recovered, %d one-phase outcomes exposed to a database crash; endings %s%n", seeds, STEPS,
                (System.nanoTime() - started) / 1_000_000, stats.faults, stats.crashes, stats.decidedRecovered,
                stats.onePhaseExposedToDatabaseCrash, stats.endings);
        if (replay == null) {
            // The simulation must reach the cases that matter, or passing proves little.
            assertTrue(stats.ended(TransactionState.COMMITTED) > seeds, "commits: " + stats.endings);
            assertTrue(stats.ended(TransactionState.ROLLED_BACK) > seeds, "rollbacks: " + stats.endings);
            assertTrue(stats.decidedRecovered > seeds / 10, "decided transactions recovered after a crash");
        }
    }

    @Test
    void theChecksCatchAPhaseTwoMessageSentBeforeTheDecisionIsDurable() {
        AssertionError e = assertThrows(AssertionError.class, () -> runUntilFailure(Simulation.Flaw.SEND_BEFORE_FORCING));
        assertTrue(e.getMessage().contains("I3"), e.getMessage());
    }

    @Test
    void theChecksCatchARestartThatForgetsToRecover() {
        AssertionError e = assertThrows(AssertionError.class, () -> runUntilFailure(Simulation.Flaw.NO_RECOVERY_ON_RESTART));
        assertTrue(e.getMessage().matches("(?s)seed \\d+: I[145]:.*"), e.getMessage());
    }

    private static void runUntilFailure(Simulation.Flaw flaw) {
        Simulation.Stats stats = new Simulation.Stats();
        for (long seed = 1; seed <= 2_000; seed++) {
            new Simulation(seed, flaw, stats).run(STEPS);
        }
    }
}
