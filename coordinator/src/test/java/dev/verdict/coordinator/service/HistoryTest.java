package dev.verdict.coordinator.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.verdict.coordinator.core.HistoryKind;
import dev.verdict.coordinator.metrics.VerdictMetrics;
import dev.verdict.coordinator.model.HistoryEntry;
import dev.verdict.coordinator.port.HistoryLog;
import dev.verdict.coordinator.port.Scheduler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When history batches are stored: once per flush interval, however busy the node. */
class HistoryTest {

    /** Runs nothing until told; holds what was scheduled. */
    static final class ManualScheduler implements Scheduler {
        final ArrayDeque<Runnable> due = new ArrayDeque<>();

        @Override
        public Timer schedule(Duration delay, Runnable task) {
            due.add(task);
            return () -> due.remove(task);
        }

        @Override
        public long nanoTime() {
            return 0;
        }

        void runDue() {
            for (int n = due.size(); n > 0; n--) {
                due.poll().run();
            }
        }
    }

    final ManualScheduler scheduler = new ManualScheduler();
    final List<List<String>> batches = new ArrayList<>();
    Runnable whileStoring = () -> { };
    final HistoryLog log = new HistoryLog() {
        @Override
        public List<HistoryEntry> append(List<HistoryEntry> batch) {
            batches.add(batch.stream().map(HistoryEntry::transactionId).toList());
            whileStoring.run();
            return batch;
        }

        @Override
        public List<HistoryEntry> of(String transactionId, int limit) {
            return List.of();
        }
    };
    final History history = new History(log, Runnable::run, scheduler, new ThisNode("c1", () -> 7),
            Clock.systemUTC(), new VerdictMetrics(new SimpleMeterRegistry()), Duration.ofMillis(200), 10_000);

    @Test
    void whatIsRecordedWhileABatchIsStoredWaitsForTheNextFlushInsteadOfMakingABatchOfItsOwnAtOnce() {
        record("a");
        whileStoring = () -> {
            whileStoring = () -> { };
            record("b");
            record("c");
        };
        scheduler.runDue();
        assertEquals(List.of(List.of("a")), batches, "one batch this interval");
        assertEquals(1, scheduler.due.size(), "b scheduled the next flush; c rides along with it");
        scheduler.runDue();
        assertEquals(List.of(List.of("a"), List.of("b", "c")), batches);
        assertEquals(0, scheduler.due.size(), "nothing left waiting, no timer left running");
    }

    @Test
    void stoppingStoresEverythingStillQueued() {
        record("a");
        whileStoring = () -> {
            whileStoring = () -> { };
            record("b");
        };
        history.stop();
        assertEquals(List.of(List.of("a"), List.of("b")), batches);
    }

    private void record(String tx) {
        history.record(tx, HistoryKind.BEGUN, null, Map.of());
    }
}
