package dev.verdict.coordinator.service;

import dev.verdict.coordinator.core.Durability;
import dev.verdict.coordinator.core.Step;
import dev.verdict.coordinator.core.Transaction;
import dev.verdict.coordinator.core.TransactionState;
import dev.verdict.coordinator.metrics.VerdictMetrics;
import dev.verdict.coordinator.port.Scheduler;

/**
 * Times the phases of a transaction for {@code verdict_phase_duration_seconds}, on the scheduler's
 * monotonic clock, from the driver's steps: the prepare round of a two-phase commit (PREPARING until
 * its votes are in), a commit decision's forced write (from the last vote until durable), and phase 2
 * (decision installed until the transaction finishes). A one-phase commit has no prepare round. Only
 * what began on this node is timed: an adopted transaction's earlier phases ran elsewhere. Every
 * method runs under the transaction's monitor; the marks live in {@link LiveTransaction}.
 */
final class PhaseTimes {

    private final Scheduler scheduler;
    private final VerdictMetrics metrics;

    PhaseTimes(Scheduler scheduler, VerdictMetrics metrics) {
        this.scheduler = scheduler;
        this.metrics = metrics;
    }

    /** A step is taken (before a forced one is written). */
    void stepTaken(LiveTransaction tx, Transaction before, Step step) {
        Transaction next = step.next();
        if (before.state() == next.state()) {
            return;
        }
        long now = scheduler.nanoTime();
        if (next.state() == TransactionState.PREPARING && !next.isOnePhase()) {
            tx.preparingSince = now;
        } else if (before.state() == TransactionState.PREPARING && tx.preparingSince != 0) {
            metrics.prepareTook(now - tx.preparingSince);
            tx.preparingSince = 0;
        }
        if (step.durability() == Durability.FORCED && before.decision() == null && next.decision() != null) {
            tx.decidingSince = now;
        }
    }

    /** The commit decision whose write {@link #stepTaken} saw begin is durable. */
    void decisionDurable(LiveTransaction tx) {
        if (tx.decidingSince != 0) {
            metrics.decisionTook(scheduler.nanoTime() - tx.decidingSince);
            tx.decidingSince = 0;
        }
    }

    /** A step is installed: phase 2 starts with the decision and ends when the transaction finishes. */
    void installed(LiveTransaction tx, TransactionState before, TransactionState after) {
        if (!before.isDecided() && after.isDecided()) {
            tx.decidedSince = scheduler.nanoTime();
        } else if (before.isDecided() && after.isTerminal() && before != after && tx.decidedSince != 0) {
            metrics.phaseTwoTook(scheduler.nanoTime() - tx.decidedSince);
        }
    }
}
