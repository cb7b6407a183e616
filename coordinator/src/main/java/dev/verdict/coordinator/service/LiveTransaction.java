package dev.verdict.coordinator.service;

import dev.verdict.coordinator.core.Step;
import dev.verdict.coordinator.model.StoredTransaction;
import dev.verdict.coordinator.port.Scheduler;
import dev.verdict.coordinator.port.Tracing;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One transaction in its owner's memory, from begin until it is finished. Every field is guarded
 * by the object's monitor; {@link TransactionDriver} is the only code that touches them.
 */
final class LiveTransaction {

    final String id;
    StoredTransaction snapshot;
    /** A forced record of the step below is being written: nothing else may change meanwhile. */
    Step deciding;
    StoredTransaction decidingNext;
    int decisionAttempts;
    /** Whether this transaction's commit decision is known to be durable (I3 is asserted on it). */
    boolean decisionDurable;
    /** Left the table: late replies and timers find nothing to do. */
    boolean finished;
    /** When its prepare round began, its decision write, its phase 2 (nanoTime; 0: not timed on this node). */
    long preparingSince;
    long decidingSince;
    long decidedSince;
    /**
     * Where its next spans hang in a trace: its begin, then the request that asked to commit or
     * roll it back, or a takeover. {@link Tracing#NONE} while tracing is off. Written rarely, read
     * by whichever thread sends its messages.
     */
    volatile Tracing.Parent trace = Tracing.NONE;
    Scheduler.Timer expiry;
    Scheduler.Timer retry;
    /** Clients waiting for the decision: commit and rollback requests. */
    final List<CompletableFuture<StoredTransaction>> waiters = new ArrayList<>(1);

    LiveTransaction(StoredTransaction snapshot) {
        this.id = snapshot.id();
        this.snapshot = snapshot;
    }

    synchronized StoredTransaction snapshot() {
        return snapshot;
    }
}
