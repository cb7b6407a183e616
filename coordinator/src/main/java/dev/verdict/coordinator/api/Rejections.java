package dev.verdict.coordinator.api;

import dev.verdict.coordinator.core.Rejection;
import dev.verdict.coordinator.model.StoredTransaction;
import dev.verdict.coordinator.service.TransactionService;

/** How a command that conflicts with the transaction's state is explained to the client. */
final class Rejections {

    private Rejections() {}

    static ProblemException toProblem(StoredTransaction current, Rejection rejection) {
        switch (rejection) {
            case NOT_ACTIVE:
                return describe(current, new ProblemException(409, "transaction-not-active",
                        "Transaction no longer accepts participants", "Transaction " + current.id() + " is "
                        + current.tx().state() + "; participants can enlist only while it is ACTIVE."));
            case ALREADY_COMMITTED:
                return committed(current);
            case DELEGATED:
                return describe(current, new ProblemException(409, "one-phase-delegated", "The participant decides this one",
                        "Transaction " + current.id() + " is a one-phase commit: its only participant decides its outcome,"
                        + " so it cannot be rolled back here. If that participant cannot answer, check what it did and"
                        + " record it with the record-outcome action."));
            case CONTRADICTS_DECISION:
                return describe(current, new ProblemException(409, "contradicts-decision", "That contradicts the decision",
                        "Transaction " + current.id() + " was decided " + current.tx().decision() + "; a decision never"
                        + " changes. Apply " + current.tx().decision() + " at the participant, then resolve the branch as "
                        + current.tx().decision() + ". If the participant did the opposite, that is a heuristic outcome:"
                        + " reconcile it by hand (docs/operations.md)."));
            case NOT_WAITING:
                return describe(current, new ProblemException(409, "nothing-waiting", "Nothing waits for that",
                        "Transaction " + current.id() + " is " + current.tx().state() + " and waits on "
                        + (current.tx().waitingOn().isEmpty() ? "no participant" : String.join(", ", current.tx().waitingOn()))
                        + "; this action does not apply to it."));
            case UNDECIDED:
                return describe(current, new ProblemException(409, "transaction-undecided", "Not decided yet",
                        "Transaction " + current.id() + " is " + current.tx().state() + ": there is no decision to apply"
                        + " yet. Roll it back (the rollback action), or wait for its participants' votes."));
            default:
                return rolledBack(current);
        }
    }

    static ProblemException committed(StoredTransaction current) {
        return describe(current, new ProblemException(409, "transaction-committed", "Transaction committed",
                "Transaction " + current.id() + " was decided COMMITTED and cannot be rolled back."));
    }

    static ProblemException rolledBack(StoredTransaction current) {
        String reason = current.tx().reason() == null ? "" : " (" + current.tx().reason() + ")";
        return describe(current, new ProblemException(409, "transaction-rolled-back", "Transaction rolled back",
                "Transaction " + current.id() + " was rolled back" + reason + "; it cannot commit."))
                .with("reason", current.tx().reason())
                .with("presumedAbort", TransactionService.isPresumedAbort(current) ? true : null);
    }

    private static ProblemException describe(StoredTransaction current, ProblemException problem) {
        return problem.with("transactionId", current.id()).with("state", current.tx().state().name())
                .with("outcome", current.tx().decision() == null ? null : current.tx().decision().name());
    }
}
