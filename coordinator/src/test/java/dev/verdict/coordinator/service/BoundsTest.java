package dev.verdict.coordinator.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verdict.coordinator.core.RetryPolicy;
import dev.verdict.coordinator.core.Transaction;
import dev.verdict.coordinator.core.TransactionState;
import dev.verdict.coordinator.metrics.VerdictMetrics;
import dev.verdict.coordinator.model.StoredTransaction;
import dev.verdict.coordinator.port.Scheduler;
import dev.verdict.coordinator.port.StoreUnavailable;
import dev.verdict.coordinator.port.TransactionLog;
import dev.verdict.protocol.Outcome;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The bounds of the driver's memory and of the log writer's groups, each hit on purpose. */
class BoundsTest {

    @Test
    void aNodeHoldsAtMostMaxLiveTransactionsAndRemembersTheLastFinishedOnes() {
        LiveTransactions table = new LiveTransactions(3, 3, 2);
        List<LiveTransaction> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(table.add(tx("t" + i, TransactionState.ACTIVE)));
        }
        assertThrows(ServiceException.AtCapacity.class, () -> table.add(tx("t3", TransactionState.ACTIVE)));
        for (LiveTransaction t : held) {
            table.finish(t, tx(t.id, TransactionState.ROLLED_BACK));
        }
        assertEquals(0, table.size(), "finished ones leave: room again");
        assertTrue(table.recentlyFinished("t0").isEmpty(), "only the last two finished are remembered");
        assertEquals(TransactionState.ROLLED_BACK, table.recentlyFinished("t2").orElseThrow().tx().state());
        table.add(tx("t4", TransactionState.ACTIVE));
    }

    @Test
    void oneCredentialHoldsAtMostItsShareOfTheNode() {
        LiveTransactions table = new LiveTransactions(10, 2, 0);
        LiveTransaction first = table.add(by("a1", "alice"));
        table.add(by("a2", "alice"));
        assertThrows(ServiceException.TooManyOpen.class, () -> table.add(by("a3", "alice")));
        table.add(by("b1", "bob"));
        table.finish(first, tx("a1", TransactionState.ROLLED_BACK));
        table.add(by("a4", "alice"));
        assertEquals(3, table.size(), "the refused one was never held");
    }

    private static StoredTransaction by(String id, String credential) {
        StoredTransaction t = tx(id, TransactionState.ACTIVE);
        return new StoredTransaction(t.tx(), t.createdAt(), t.expiresAt(), t.decidedAt(), t.completedAt(), t.dueAt(), credential);
    }

    @Test
    void aLogGroupHoldsAtMostMaxGroupRecords() {
        Writer w = new Writer(4, false);
        for (int i = 0; i < 6; i++) {
            w.writer.force(tx("d" + i, TransactionState.COMMITTING), true);
        }
        for (int i = 0; i < 3; i++) {
            w.writer.later(tx("c" + i, TransactionState.COMMITTED));
        }
        w.runAll();
        assertTrue(w.groups.stream().allMatch(g -> g <= 4), "groups " + w.groups);
        assertEquals(9, w.groups.stream().mapToInt(Integer::intValue).sum(), "every record written once");
    }

    @Test
    void afterAFailedGroupDecisionsAreWrittenWithoutTheCompletionsThatMayHaveFailedIt() {
        Writer w = new Writer(10, true);
        w.writer.later(tx("c0", TransactionState.COMMITTED));
        w.writer.force(tx("d0", TransactionState.COMMITTING), true);
        w.runAll(); // fails: both were in it
        w.failNext = false;
        w.writer.force(tx("d1", TransactionState.COMMITTING), true);
        w.runAll();
        assertEquals(List.of("d1", "c0"), w.contents, "the decision went alone, the completion after it");
    }

    private static StoredTransaction tx(String id, TransactionState state) {
        Outcome decision = state.isDecided() ? (state == TransactionState.ROLLED_BACK ? Outcome.ROLLED_BACK : Outcome.COMMITTED) : null;
        Instant t = Instant.parse("2026-11-22T10:00:00Z");
        return new StoredTransaction(new Transaction(id, state, decision, null, List.of()), t, t.plusSeconds(60), t, null, null, null);
    }

    /** A log writer on a log that records group sizes, a thread and timers the test runs by hand. */
    private static final class Writer implements TransactionLog, Scheduler {
        final List<Integer> groups = new ArrayList<>();
        final List<String> contents = new ArrayList<>();
        final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
        boolean failNext;
        final LogWriter writer;

        Writer(int maxGroup, boolean failFirst) {
            this.failNext = failFirst;
            DriverSettings settings = new DriverSettings(Duration.ofSeconds(1), Duration.ofHours(1), Duration.ofSeconds(1),
                    new RetryPolicy(Duration.ofMillis(1), Duration.ofMillis(2)), 10, 10, 10, Duration.ofMillis(1), maxGroup,
                    Duration.ofSeconds(1), Duration.ofSeconds(10), 10);
            writer = new LogWriter(this, tasks::add, this, new ThisNode("n", new Random(1)::nextLong),
                    new VerdictMetrics(new SimpleMeterRegistry()), settings);
        }

        @Override
        public Map<String, Outcome> write(List<StoredTransaction> decisions, List<StoredTransaction> completions, String owner) {
            if (failNext) {
                throw new StoreUnavailable("simulated", null);
            }
            groups.add(decisions.size() + completions.size());
            List<String> ids = new ArrayList<>();
            decisions.forEach(d -> ids.add(d.id()));
            completions.forEach(c -> ids.add(c.id()));
            contents.add(String.join(",", ids));
            return Map.of();
        }

        @Override
        public Timer schedule(Duration delay, Runnable task) {
            tasks.add(task); // timers fire when the test runs the queue
            return () -> tasks.remove(task);
        }

        @Override
        public long nanoTime() {
            return 0;
        }

        void runAll() {
            for (int i = 0; i < 100 && !tasks.isEmpty(); i++) {
                tasks.poll().run();
            }
        }
    }
}
