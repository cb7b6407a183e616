package dev.verdict.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The bounded chaos soak in the normal test run (2 minutes). Longer or replayed runs:
 * {@code ./run.sh soak 10m [seed]}, which sets {@code verdict.soak.duration} and
 * {@code verdict.soak.seed}.
 */
class ChaosSoakTest {

    @Test
    void invariantsHoldThroughChaos() throws Exception {
        long seed = Long.getLong("verdict.soak.seed", System.currentTimeMillis());
        Duration duration = Duration.parse("PT" + System.getProperty("verdict.soak.duration", "2m").toUpperCase());
        ChaosSoak.Result result = new ChaosSoak(seed, duration).run();
        System.out.println(result.verdictLine());
        assertTrue(result.passed(), result.verdictLine() + "; violations: " + result.violations());
        assertTrue(result.committed() > 0 && result.faults() > 0, "the soak exercised nothing: " + result.verdictLine());
    }
}
