package dev.verdict.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The operator actions on one transaction: {@code POST /transactions/{id}/actions/{action}}. Every
 * one needs a reason, which the coordinator records with the caller's identity in the audit log;
 * picocli refuses the line without it, so nothing is sent (exit 1). The coordinator decides
 * whether an action fits the transaction's state; a refusal is printed with its detail (exit 2).
 */
final class TxActionCommands {

    private TxActionCommands() {}

    enum Outcome { COMMITTED, ROLLED_BACK }

    abstract static class Action extends ApiCommand {

        @Parameters(index = "0", paramLabel = "ID", description = "Transaction id.")
        String id;

        @Option(names = "--reason", required = true, paramLabel = "TEXT",
                description = "Why (1-1000 characters): recorded in the audit log with who you are.")
        String reason;

        /** The path segment after /actions/. */
        abstract String action();

        /** The action's own fields; the reason is added. */
        Map<String, Object> fields() {
            return new LinkedHashMap<>();
        }

        @Override
        final void execute(ApiClient api) {
            Map<String, Object> body = fields();
            body.put("reason", reason);
            ApiClient.Answer answer = api.post("/transactions/" + ApiClient.segment(id) + "/actions/" + action(), body);
            if (json()) {
                printJson(answer.body());
                return;
            }
            JsonNode tx = answer.json().path("transaction");
            JsonNode audit = answer.json().path("audit");
            out().println(Text.done(audit));
            out().println("Transaction " + Text.of(tx.path("id")) + " is " + Style.state(Text.of(tx.path("state")))
                    + (tx.path("outcome").isTextual() ? " (decision " + tx.path("outcome").asText() + ")." : " (undecided)."));
            Transactions.branches(tx).print(out());
        }
    }

    @Command(name = "retry", description = "Send the waiting messages now instead of at the next attempt.")
    static final class Retry extends Action {
        @Override
        String action() {
            return "retry";
        }
    }

    @Command(name = "rollback", description = "Roll back an undecided transaction, as its client could.")
    static final class Rollback extends Action {
        @Override
        String action() {
            return "rollback";
        }
    }

    @Command(name = "resolve-branch", description = {
            "Record that the decision was applied by hand at PARTICIPANT, which the coordinator stops waiting on.",
            "--applied must equal the decision: a decision never changes."})
    static final class ResolveBranch extends Action {

        @Parameters(index = "1", paramLabel = "PARTICIPANT", description = "The participant whose branch was applied by hand.")
        String participant;

        @Option(names = "--applied", required = true, paramLabel = "OUTCOME", description = "COMMITTED or ROLLED_BACK: what was applied there.")
        Outcome applied;

        @Override
        String action() {
            return "resolve-branch";
        }

        @Override
        Map<String, Object> fields() {
            Map<String, Object> fields = super.fields();
            fields.put("participant", participant);
            fields.put("applied", applied.name());
            return fields;
        }
    }

    @Command(name = "record-outcome", description = "Record the outcome you verified at the participant of a one-phase commit that cannot answer.")
    static final class RecordOutcome extends Action {

        @Option(names = "--outcome", required = true, paramLabel = "OUTCOME", description = "COMMITTED or ROLLED_BACK.")
        Outcome outcome;

        @Override
        String action() {
            return "record-outcome";
        }

        @Override
        Map<String, Object> fields() {
            Map<String, Object> fields = super.fields();
            fields.put("outcome", outcome.name());
            return fields;
        }
    }

    @Command(name = "ack", aliases = "acknowledge", description = "Mark a HEURISTIC transaction reconciled (say how in --reason).")
    static final class Acknowledge extends Action {
        @Override
        String action() {
            return "acknowledge";
        }
    }
}
