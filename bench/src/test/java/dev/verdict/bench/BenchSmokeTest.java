package dev.verdict.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A few seconds of every benchmark part against the real processes, asserting only that it runs
 * and that what it counts adds up. Not a timed test: no figure here is compared with a target.
 */
class BenchSmokeTest {

    @Test
    void everyWorkloadRunsAndCountsAddUp() throws Exception {
        Path root = Path.of(System.getProperty("verdict.root", "..")).toAbsolutePath().normalize();
        Options options = new Options(Duration.ofSeconds(2), Duration.ZERO,
                List.of(Workload.W1, Workload.W2, Workload.W3, Workload.W6), List.of(4), true, 50, false, root,
                root.resolve("bench/target/smoke-" + System.currentTimeMillis()));
        Report report;
        try (Bench bench = new Bench(options)) {
            report = bench.run();
            report.print(System.out);
        }

        Report.Row w1 = row(report, Workload.W1, "closed 4");
        assertClean(w1);
        long committed = w1.verdict().committed;
        assertTrue(committed > 0, "W1 committed nothing");
        assertEquals(committed, (long) w1.perRun().forcedWrites(), "W1: exactly one forced write, the commit decision");
        assertEquals(committed, (long) w1.perRun().lazyWrites(), "W1: exactly one lazy write, the completion");
        assertEquals(4 * committed, (long) w1.perRun().participantCalls(), "W1: prepare and commit to each of two");

        Report.Row w2 = row(report, Workload.W2, "closed 4");
        assertClean(w2);
        assertTrue(w2.verdict().committed > 0, "W2 committed nothing");
        assertEquals(0, (long) w2.perRun().forcedWrites(), "W2: one-phase commit forces nothing");
        assertEquals(0, (long) w2.perRun().lazyWrites(), "W2: one-phase commit writes nothing at all");
        assertEquals(w2.verdict().committed, (long) w2.perRun().participantCalls(), "W2: one call per transaction");

        Report.Row w3 = row(report, Workload.W3, "closed 4");
        assertClean(w3);
        long n = w3.verdict().finished();
        assertEquals(n / 10, w3.verdict().rolledBack, 1, "W3: every 10th transaction votes ABORT");
        assertEquals(w3.verdict().committed, (long) w3.perRun().forcedWrites(), "W3: only commit decisions are forced");
        assertEquals(w3.verdict().committed, (long) w3.perRun().lazyWrites(), "W3: a completion per commit; rollbacks write nothing");

        Report.Row w6 = row(report, Workload.W6, "closed 4");
        assertClean(w6);
        long replicated = w6.verdict().committed;
        assertTrue(replicated > 0, "W6 committed nothing");
        assertEquals(replicated, (long) w6.perRun().forcedWrites(), "W6: one forced write per commit, at its owner");
        assertEquals(replicated, (long) w6.perRun().lazyWrites(), "W6: one completion per commit, at its owner");
        assertEquals(4 * replicated, (long) w6.perRun().participantCalls(), "W6: prepare and commit to each of two, once");
        double forwarded = w6.perTransaction().forwardedRequests();
        // Enlist, enlist, commit: each reaches the replica that did not begin it half the time (1.5 expected).
        assertTrue(forwarded >= 0.5 && forwarded <= 3.0, "W6: forwarded requests per transaction " + forwarded);

        Report.Row open = report.rows.stream().filter(r -> r.mode().startsWith("open")).findFirst().orElseThrow();
        assertClean(open);
        assertTrue(open.verdict().committed > 0, "open loop committed nothing");

        RecoveryScenario.Result w5 = report.recovery;
        assertEquals(50, w5.unfinishedAtKill(), "W5: every decided transaction was unfinished at the SIGKILL");
        assertTrue(w5.commitsDelivered() >= 100, "W5: both participants got every commit after the restart");
    }

    private static Report.Row row(Report report, Workload w, String mode) {
        return report.rows.stream().filter(r -> r.workload() == w && r.mode().equals(mode)).findFirst().orElseThrow();
    }

    private static void assertClean(Report.Row row) {
        assertEquals(0, row.verdict().errors, row.workload() + " " + row.mode() + " errors: " + row.verdict().sampleErrors);
        assertEquals(0, row.bound().errors, row.workload() + " " + row.mode() + " bound errors: " + row.bound().sampleErrors);
    }
}
