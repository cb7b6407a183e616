package dev.verdict.bench;

import java.time.Duration;

/**
 * W5: the coordinator is SIGKILLed holding N decided transactions whose phase 2 has not finished
 * (the stubs refuse commits until then), restarted on the same database under the same node name,
 * and timed until every one of them is complete.
 */
final class RecoveryScenario {

    record Result(int transactions, long unfinishedAtKill, double readyAfterSeconds,
                  double completeAfterSeconds, long commitsDelivered) {}

    private final Bench bench;
    private final Rig rig;

    RecoveryScenario(Bench bench, Rig rig) {
        this.bench = bench;
        this.rig = rig;
    }

    Result run(int n) throws Exception {
        System.out.printf("W5 recovery: %d decided transactions, SIGKILL, restart%n", n);
        bench.quiesce();
        long commitsBefore = commits();
        bench.configureStubs(Workload.W1, true);
        RunResult decided = Bench.await(bench.load().closed(() -> bench.verdict(Workload.W1), 32, Duration.ofMinutes(5), n));
        if (decided.committed != n) {
            throw new IllegalStateException("W5 setup: " + decided.committed + " of " + n + " committed; errors "
                    + decided.sampleErrors);
        }
        long unfinished = bench.unfinished();
        rig.coordinator().kill();
        bench.configureStubs(Workload.W1, false);

        Launched restarted = rig.startCoordinator();
        double ready = seconds(System.nanoTime() - restarted.launchedAtNanos);
        Launched.awaitTrue(() -> bench.unfinished() == 0, Duration.ofMinutes(5), "W5: transactions still unfinished");
        double complete = seconds(System.nanoTime() - restarted.launchedAtNanos);
        return new Result(n, unfinished, ready, complete, commits() - commitsBefore);
    }

    private long commits() {
        return bench.stubCounters(0).getLong("commit") + bench.stubCounters(1).getLong("commit");
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
