package dev.verdict.coordinator.service;

import dev.verdict.coordinator.core.Retention;
import dev.verdict.coordinator.metrics.VerdictMetrics;
import dev.verdict.coordinator.port.LogRetention;
import dev.verdict.coordinator.port.Scheduler;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.IntSupplier;
import org.jboss.logging.Logger;

/**
 * Deletes what retention no longer keeps, every {@code interval}, on a thread of its own (never the
 * timer's: deleting blocks). One node prunes at a time (the store's lock); the others skip the run.
 * Batches are small and stop when one comes back short, or after a bounded number: a backlog is
 * worked off over several runs.
 */
public final class Pruner {

    private static final Logger LOG = Logger.getLogger(Pruner.class);

    private final LogRetention store;
    private final Scheduler scheduler;
    private final Executor thread;
    private final Clock clock;
    private final RetentionSettings settings;
    private final VerdictMetrics metrics;
    private volatile boolean stopped;
    private volatile Scheduler.Timer next;

    public Pruner(LogRetention store, Scheduler scheduler, Executor thread, Clock clock, RetentionSettings settings,
                  VerdictMetrics metrics) {
        this.store = store;
        this.scheduler = scheduler;
        this.thread = thread;
        this.clock = clock;
        this.settings = settings;
        this.metrics = metrics;
    }

    public void start() {
        next = scheduler.schedule(settings.interval(), () -> thread.execute(this::run));
    }

    public void stop() {
        stopped = true;
        Scheduler.Timer timer = next;
        if (timer != null) {
            timer.cancel();
        }
    }

    private void run() {
        try {
            pruneOnce();
        } catch (RuntimeException e) {
            LOG.warnf("pruning failed, retried in %s: %s", settings.interval(), e.toString());
        } finally {
            if (!stopped) {
                start();
            }
        }
    }

    /** One run, blocking: rows deleted by table; empty when another node is pruning. */
    public Map<String, Integer> pruneOnce() {
        return store.exclusively(this::pruneAll).orElse(Map.of());
    }

    private Map<String, Integer> pruneAll() {
        Instant now = clock.instant();
        Instant finishedBefore = now.minus(settings.finished());
        Map<String, Integer> pruned = new LinkedHashMap<>();
        // Only ids minted before the cut (plus the clock margin) can have finished before it: the key walk stops there.
        Instant mintedBefore = finishedBefore.plus(Retention.CLOCK_MARGIN);
        pruned.put("transaction_log", batches("transaction_log",
                () -> store.pruneTransactions(finishedBefore, mintedBefore, settings.batch())));
        pruned.put("transaction_history", batches("transaction_history",
                () -> store.pruneHistory(finishedBefore, settings.batch())));
        Instant diedBefore = now.minus(settings.nodes());
        pruned.put("coordinator_node", batches("coordinator_node", () -> store.pruneNodes(diedBefore, settings.batch())));
        Instant deregisteredBefore = now.minus(settings.participants());
        pruned.put("participant", batches("participant",
                () -> store.pruneParticipants(deregisteredBefore, settings.batch())));
        return pruned;
    }

    private int batches(String table, IntSupplier batch) {
        int total = 0;
        for (int i = 0; i < RetentionSettings.MAX_BATCHES_PER_RUN && !stopped; i++) {
            int deleted = batch.getAsInt();
            total += deleted;
            metrics.pruned(table, deleted);
            if (deleted < settings.batch()) {
                break;
            }
        }
        return total;
    }
}
