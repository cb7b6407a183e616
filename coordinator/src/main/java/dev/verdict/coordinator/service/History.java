package dev.verdict.coordinator.service;

import dev.verdict.coordinator.core.Change;
import dev.verdict.coordinator.core.Changes;
import dev.verdict.coordinator.core.HistoryKind;
import dev.verdict.coordinator.core.Transaction;
import dev.verdict.coordinator.metrics.VerdictMetrics;
import dev.verdict.coordinator.model.HistoryEntry;
import dev.verdict.coordinator.port.HistoryLog;
import dev.verdict.coordinator.port.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Records what happens to transactions, for people (docs/operator-api.md). Off the hot path: a
 * change is put on a bounded queue and returns at once; a writer thread stores what has gathered
 * every {@code flushInterval}, in one batch. When the queue is full the entry is dropped and
 * counted, never waited for: recovery never reads history, so losing some costs only detail. A
 * flush is scheduled only when something waits to be stored, so an idle node sets no timers.
 */
public final class History {

    private static final Logger LOG = Logger.getLogger(History.class);
    /** Most entries one batch stores; the rest wait for the next. */
    static final int MAX_BATCH = 5_000;

    private final HistoryLog log;
    private final Executor writer;
    private final Scheduler scheduler;
    private final ThisNode node;
    private final Clock clock;
    private final VerdictMetrics metrics;
    private final Duration flushInterval;
    private final ArrayBlockingQueue<HistoryEntry> queue;
    private final AtomicBoolean stopped = new AtomicBoolean();
    /** A flush is scheduled: entries recorded meanwhile ride along with it. */
    private final AtomicBoolean flushPending = new AtomicBoolean();

    private final boolean enabled;

    /** @param maxQueued 0 turns history off */
    public History(HistoryLog log, Executor writer, Scheduler scheduler, ThisNode node, Clock clock,
                   VerdictMetrics metrics, Duration flushInterval, int maxQueued) {
        this.enabled = maxQueued > 0;
        this.log = log;
        this.writer = writer;
        this.scheduler = scheduler;
        this.node = node;
        this.clock = clock;
        this.metrics = metrics;
        this.flushInterval = flushInterval;
        this.queue = new ArrayBlockingQueue<>(Math.max(1, maxQueued));
    }

    /** Stores what is queued and stops flushing. Blocking; for an orderly shutdown. */
    public void stop() {
        if (stopped.compareAndSet(false, true)) {
            flush();
        }
    }

    /** What one step changed; call in the order the steps are installed. */
    void changed(Transaction before, Transaction after) {
        if (!enabled) {
            return;
        }
        for (Change c : Changes.between(before, after)) {
            record(after.id(), c.kind(), c.participant(), c.detail());
        }
    }

    void record(String transactionId, HistoryKind kind, String participant, Map<String, Object> detail) {
        if (!enabled) {
            return;
        }
        HistoryEntry entry = new HistoryEntry(0, transactionId, clock.instant(), node.name(), kind.name(), participant, detail);
        if (!queue.offer(entry)) {
            metrics.historyDropped(1);
            return;
        }
        if (flushPending.compareAndSet(false, true)) {
            scheduler.schedule(flushInterval, this::flushSoon);
        }
    }

    /** One transaction's entries; blocking. Entries still queued here are not in it yet. */
    public List<HistoryEntry> of(String transactionId, int limit) {
        return log.of(transactionId, limit);
    }

    private void flushSoon() {
        if (stopped.get()) {
            return;
        }
        try {
            writer.execute(() -> {
                flushPending.set(false); // what is recorded from now on schedules the next flush
                flush();
            });
        } catch (RuntimeException rejected) {
            // The writer is shutting down: nothing more to do.
        }
    }

    /**
     * Stores what is queued, in batches of at most {@link #MAX_BATCH}. It goes on only while
     * batches come out full: what is recorded while a batch is being stored waits for the next
     * flush (scheduled by the first such record), so a busy node stores one large batch per
     * interval rather than a stream of small ones, each a database commit of its own.
     */
    private void flush() {
        List<HistoryEntry> batch = new ArrayList<>(Math.min(queue.size(), MAX_BATCH));
        int drained;
        do {
            drained = queue.drainTo(batch, MAX_BATCH);
            if (drained == 0) {
                return;
            }
            try {
                log.append(batch);
                metrics.historyWritten(batch.size());
            } catch (RuntimeException e) {
                LOG.warnf("history: %d entries could not be stored and are dropped (%s)", batch.size(), e.getMessage());
                metrics.historyDropped(batch.size());
                return;
            }
            batch.clear();
        } while (drained == MAX_BATCH || stopped.get());
    }
}
