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
