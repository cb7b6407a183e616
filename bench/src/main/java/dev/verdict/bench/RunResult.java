package dev.verdict.bench;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/** What one run measured at the client: outcomes, errors and end-to-end transaction latency. */
final class RunResult {

    /** Microseconds, up to a minute, three significant digits. */
    final Histogram latencyMicros = new Histogram(60_000_000L, 3);
    long committed;
    long rolledBack;
    long errors;
    final List<String> sampleErrors = new ArrayList<>();
    long elapsedNanos;

    void record(Outcome outcome, long micros) {
        latencyMicros.recordValue(Math.max(1, Math.min(micros, latencyMicros.getHighestTrackableValue())));
        switch (outcome) {
            case COMMITTED -> committed++;
            case ROLLED_BACK -> rolledBack++;
            case UNDECIDED -> error("commit answered 202: undecided within the outcome wait");
        }
    }

    void error(String message) {
        errors++;
        if (sampleErrors.size() < 5) {
            sampleErrors.add(message);
        }
    }

    /** Transactions that reached a decision the client heard. */
    long finished() {
        return committed + rolledBack;
    }

    double throughput() {
        return finished() / (elapsedNanos / 1e9);
    }

    double percentileMillis(double percentile) {
        return latencyMicros.getValueAtPercentile(percentile) / 1000.0;
    }
}
