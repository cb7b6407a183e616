package dev.verdict.coordinator.service;

import dev.verdict.coordinator.core.Durability;
import dev.verdict.coordinator.core.Step;
import dev.verdict.coordinator.core.Transaction;
import dev.verdict.coordinator.core.TransactionState;
import dev.verdict.protocol.Outcome;

/**
 * The invariants the tests check, asserted again where production could break them: failing
 * loudly beats corrupting a decision. Each failure names the invariant of docs/protocol.md.
 */
final class Invariants {

    private Invariants() {}

    static void checkStep(Transaction before, Step step) {
        Transaction after = step.next();
        if (before.decision() != null && after.decision() != before.decision()) {
            throw new IllegalStateException("I2 violated: decision of " + before.id() + " would change from "
                    + before.decision() + " to " + after.decision());
        }
        if (before.state().isTerminal() && !after.equals(before)) {
            throw new IllegalStateException("I7 violated: finished transaction " + before.id() + " would move");
        }
        boolean onePhaseOutcome = before.state() == TransactionState.PREPARING && before.isOnePhase();
        boolean commitDecision = before.decision() == null && after.decision() == Outcome.COMMITTED && !onePhaseOutcome;
        if (commitDecision && step.durability() != Durability.FORCED) {
            throw new IllegalStateException("I3 violated: commit decision of " + before.id() + " not forced");
        }
        if (step.durability() == Durability.FORCED && after.decision() == null) {
            throw new IllegalStateException("forced write of undecided transaction " + before.id());
        }
    }
}
