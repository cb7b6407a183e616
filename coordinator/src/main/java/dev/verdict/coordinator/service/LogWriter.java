package dev.verdict.coordinator.service;

import dev.verdict.coordinator.metrics.VerdictMetrics;
import dev.verdict.coordinator.model.StoredTransaction;
import dev.verdict.coordinator.port.Scheduler;
import dev.verdict.coordinator.port.StoreUnavailable;
import dev.verdict.coordinator.port.TransactionLog;
import dev.verdict.coordinator.port.Tracing;
import dev.verdict.protocol.Outcome;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * The one writer of the transaction log: group commit. Every record waiting when a group starts
 * goes into it, and a group is one database transaction with one flush, however many records it
 * holds. A forced record starts a group at once when the writer is idle, so a lone transaction
 * waits for no timer; while a group is being flushed the next one forms. Completion records
 * (lazy) ride along with the next group, or go alone after {@code lazyDelay}.
 *
 * <p>All writes run on one thread ({@code thread}): the only blocking I/O on the hot path. The
 * forced queue is bounded by what feeds it: a record per transaction being decided (at most
 * {@code max-live}) or per fence (one per read of the bounded read pool). The lazy one holds at
 * most {@code max-live} completions; beyond, the oldest is dropped, which loses nothing: its
 * decision is on record, unfinished, and this node's heartbeat finds it there and finishes it again.
 */
public final class LogWriter {

    private static final Logger LOG = Logger.getLogger(LogWriter.class);

    private final TransactionLog log;
    private final Executor thread;
    private final Scheduler scheduler;
    private final ThisNode node;
    private final VerdictMetrics metrics;
    private final DriverSettings settings;

    private final Object lock = new Object();
    private final ArrayDeque<Forced> forced = new ArrayDeque<>();
    private final ArrayDeque<StoredTransaction> lazy = new ArrayDeque<>();
    private boolean flushing;
    private Scheduler.Timer lazyTimer;
    private int failures;
    /** After a failed group, an empty one is written until one succeeds, so {@link #available} heals. */
    private boolean probe;
    private volatile boolean available = true;

    /**
     * @param decision inserted only where no record exists; otherwise a completion, written whatever is there
     * @param span the write's span, told the size of the group that carried it
     */
    private record Forced(StoredTransaction record, boolean decision, CompletableFuture<Optional<Outcome>> written,
                          Tracing.Span span) {}

    public LogWriter(TransactionLog log, Executor thread, Scheduler scheduler, ThisNode node, VerdictMetrics metrics,
                     DriverSettings settings) {
        this.log = log;
        this.thread = thread;
        this.scheduler = scheduler;
        this.node = node;
        this.metrics = metrics;
        this.settings = settings;
    }

    /**
     * Makes a record durable with the next group: a decision ({@code decision}: inserted only where
     * the transaction has no record yet) or a completion that must not be lost. Completes empty once
     * this record is the one on record, or with the outcome of a decision that was there first;
     * exceptionally with {@link StoreUnavailable} when the group failed (it may or may not have landed).
     */
    CompletionStage<Optional<Outcome>> force(StoredTransaction record, boolean decision) {
        return force(record, decision, Tracing.NONE);
    }

    /** As {@link #force(StoredTransaction, boolean)}; {@code span} is told the size of the group ({@link Tracing#GROUP_SIZE}). */
    CompletionStage<Optional<Outcome>> force(StoredTransaction record, boolean decision, Tracing.Span span) {
        if (record.tx().decision() == null) {
            throw new IllegalStateException("a forced record must carry a decision: " + record.id());
        }
        CompletableFuture<Optional<Outcome>> written = new CompletableFuture<>();
        synchronized (lock) {
            forced.addLast(new Forced(record, decision, written, span));
            startIfIdle();
        }
        return written;
    }

    /** Writes a completion record with the next group; nobody waits for it. */
    void later(StoredTransaction completion) {
        synchronized (lock) {
            if (lazy.size() >= settings.maxLive()) {
                StoredTransaction dropped = lazy.removeFirst();
                LOG.errorf("transaction %s: its completion was dropped, %d others waiting to be written; the log"
                        + " keeps refusing them (see the warnings before)", dropped.id(), lazy.size());
            }
            lazy.addLast(completion);
            if (lazy.size() >= settings.maxGroup()) {
                startIfIdle();
            } else if (!flushing && lazyTimer == null) {
                lazyTimer = scheduler.schedule(settings.lazyDelay(), this::lazyDue);
            }
        }
    }

    /** Writes the waiting completions now rather than after {@code lazyDelay}: the node is leaving. */
    void flushNow() {
        synchronized (lock) {
            if (!lazy.isEmpty()) {
                if (lazyTimer != null) {
                    lazyTimer.cancel();
                    lazyTimer = null;
                }
                startIfIdle();
            }
        }
    }

    /** Nothing waits to be written and no group is being written. */
    boolean idle() {
        synchronized (lock) {
            return !flushing && forced.isEmpty() && lazy.isEmpty();
        }
    }

    /** False while the last group failed: the database is unreachable or refusing writes. */
    public boolean available() {
        return available;
    }

    private void lazyDue() {
        synchronized (lock) {
            lazyTimer = null;
            if (!lazy.isEmpty() || probe) {
                startIfIdle();
            }
        }
    }

    /** Under the lock. */
    private void startIfIdle() {
        if (!flushing) {
            flushing = true;
            thread.execute(this::flush);
        }
    }

    private void flush() {
        while (true) {
            List<Forced> decisions = new ArrayList<>();
            List<StoredTransaction> completions = new ArrayList<>();
            synchronized (lock) {
                drain(decisions, completions);
                if (decisions.isEmpty() && completions.isEmpty() && !probe) {
                    flushing = false;
                    return;
                }
            }
            if (!write(decisions, completions)) {
                synchronized (lock) {
                    flushing = false;
                    probe = true;
                    if (lazyTimer == null) {
                        lazyTimer = scheduler.schedule(settings.retry().delay(failures), this::lazyDue);
                    }
                }
                return;
            }
        }
    }

    /** Under the lock: the forced records waiting, then lazy ones, up to the group bound in all. */
    private void drain(List<Forced> waited, List<StoredTransaction> completions) {
        int max = settings.maxGroup();
        java.util.Set<String> ids = new java.util.HashSet<>();
        java.util.Iterator<Forced> next = forced.iterator();
        while (next.hasNext() && waited.size() < max) {
            Forced f = next.next();
            if (ids.add(f.record().id())) { // a second record for one transaction waits for the next group
                waited.add(f);
                next.remove();
            }
        }
        // After a failed group, decisions go alone: a completion the log refuses must not hold them back.
        boolean mix = failures == 0 || waited.isEmpty();
        boolean lazyDue = mix && (!waited.isEmpty() || lazyTimer == null || lazy.size() >= max);
        while (lazyDue && !lazy.isEmpty() && waited.size() + completions.size() < max) {
            completions.add(lazy.removeFirst());
        }
        if (!completions.isEmpty() && lazyTimer != null && lazy.isEmpty()) {
            lazyTimer.cancel();
            lazyTimer = null;
        }
    }

    /** @return false when the group failed */
    private boolean write(List<Forced> waited, List<StoredTransaction> lazyCompletions) {
        List<StoredTransaction> decisions = new ArrayList<>(waited.size());
        List<StoredTransaction> completions = new ArrayList<>(lazyCompletions);
        for (Forced f : waited) {
            (f.decision() ? decisions : completions).add(f.record());
        }
        int size = decisions.size() + completions.size();
        for (Forced f : waited) {
            f.span().set(Tracing.GROUP_SIZE, size);
        }
        Map<String, Outcome> existing;
        try {
            existing = log.write(decisions, completions, node.incarnation());
        } catch (RuntimeException e) {
            failures++;
            available = false;
            metrics.logGroupFailed();
            LOG.warnf("transaction log write failed (%d record(s)); %s", decisions.size() + completions.size(), e.toString());
            synchronized (lock) {
                lazyCompletions.forEach(lazy::addFirst); // kept, to try again
            }
            StoreUnavailable cause = e instanceof StoreUnavailable s ? s : new StoreUnavailable("log write failed", e);
            waited.forEach(d -> d.written().completeExceptionally(cause));
            return false;
        }
        failures = 0;
        available = true;
        synchronized (lock) {
            probe = false;
        }
        metrics.logGroup(waited.size(), lazyCompletions.size());
        for (Forced d : waited) {
            try {
                d.written().complete(Optional.ofNullable(existing.get(d.record().id())));
            } catch (RuntimeException e) {
                LOG.errorf(e, "transaction %s: handling its durable decision failed", d.record().id());
            }
        }
        return true;
    }
}
