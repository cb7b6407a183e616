package dev.verdict.coordinator.sim;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Seeded simulation of two coordinator nodes running the real driver under faults (tier 4 of the
 * test plan). Each seed builds a world and runs random actions with lost, duplicated and late
 * messages, deadlines, clock jumps, crashes and freezes of either node, and log groups that fail
 * before or after they are written; invariants are checked after every action and once healed.
 *
 * <p>{@code -Dverdict.sim.seeds=N} runs more seeds; {@code -Dverdict.sim.seed=S} replays one.
 */
class ProtocolSimulationTest {

    private static final int STEPS = 400;

    @Test
    void invariantsHoldForEverySeed() {
        String replay = System.getProperty("verdict.sim.seed");
        long first = replay != null ? Long.parseLong(replay) : Long.getLong("verdict.sim.first-seed", 1);
        int seeds = replay != null ? 1 : Integer.getInteger("verdict.sim.seeds", 2_000);
        Simulation.Stats stats = new Simulation.Stats();
        long started = System.nanoTime();
        for (long seed = first; seed < first + seeds; seed++) {
            new Simulation(seed, Simulation.Flaw.NONE, stats).run(STEPS);
        }
        System.out.printf("simulation: %d seeds x %d steps in %d ms; %d faults, %d crashes, %d freezes, %d takeovers,"
                        + " %d fences, %d forwarded requests, %d log groups lost, %d one-phase commits exposed; endings %s%n",
                seeds, STEPS, (System.nanoTime() - started) / 1_000_000, stats.faults, stats.crashes, stats.freezes,
                stats.takeovers, stats.fences, stats.forwarded, stats.groupsLost, stats.exposedOnePhase, stats.endings);
        if (replay == null) {
            // The simulation must reach the cases that matter, or passing proves little.
            assertTrue(stats.ended("COMMITTED") > seeds, "commits: " + stats.endings);
            assertTrue(stats.ended("no record") > seeds, "rollbacks (presumed abort): " + stats.endings);
            assertTrue(stats.takeovers > seeds / 10, "decided transactions taken over after a crash: " + stats.takeovers);
            assertTrue(stats.fences > seeds / 20, "answers fenced for an owner that did not answer: " + stats.fences);
            assertTrue(stats.forwarded > seeds, "requests relayed to the owner: " + stats.forwarded);
        }
    }

    @Test
    void theChecksCatchALogThatAcknowledgesDecisionsBeforeTheyAreDurable() {
        AssertionError e = assertThrows(AssertionError.class, () -> runUntilFailure(Simulation.Flaw.ACK_BEFORE_FLUSH));
        assertTrue(e.getMessage().matches("(?s)seed \\d+: I[235].*"), e.getMessage()); // a lost "committed" shows as any of them
    }

    @Test
    void theChecksCatchAnOwnerThatCommitsOverAnotherNodesFence() {
        AssertionError e = assertThrows(AssertionError.class, () -> runUntilFailure(Simulation.Flaw.NO_FENCE));
        assertTrue(e.getMessage().matches("(?s)seed \\d+: I[128].*"), e.getMessage());
    }

    @Test
    void theChecksCatchARestartThatForgetsToRecover() {
        AssertionError e = assertThrows(AssertionError.class, () -> runUntilFailure(Simulation.Flaw.NO_RECOVERY_ON_RESTART));
        assertTrue(e.getMessage().matches("(?s)seed \\d+: I[145].*"), e.getMessage());
    }

    private static void runUntilFailure(Simulation.Flaw flaw) {
        Simulation.Stats stats = new Simulation.Stats();
        for (long seed = 1; seed <= 2_000; seed++) {
            new Simulation(seed, flaw, stats).run(STEPS);
        }
    }
}
