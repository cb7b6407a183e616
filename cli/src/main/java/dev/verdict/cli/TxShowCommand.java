package dev.verdict.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code verdict tx show ID}: the transaction, its branches and its history. With {@code -o json},
 * {@code {"transaction": ..., "history": ...}}, each the API's answer unchanged.
 */
@Command(name = "show", description = "One transaction: its decision, its branches and its history.")
final class TxShowCommand extends ApiCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "Transaction id.")
    String id;

    @Override
    void execute(ApiClient api) {
        String path = "/transactions/" + ApiClient.segment(id);
        JsonNode tx = api.get(path, Map.of()).json();
        JsonNode history = history(api, path);
        if (json()) {
            ObjectNode both = ApiClient.JSON.createObjectNode();
            both.set("transaction", tx);
            both.set("history", history);
            printJson(both);
            return;
        }
        printSummary(tx, Instant.now());
        out().println();
        out().println(Style.bold("Branches:"));
        Transactions.branches(tx).print(out());
        out().println();
        out().println(Style.bold("History:"));
        if (history.isNull()) {
            out().println("(this coordinator keeps no history: it predates GET /transactions/{id}/history)");
        } else {
            History.table(history.path("entries")).print(out());
        }
    }

    /** The transaction was found, so a 404 here means a coordinator older than the history: show what there is. */
    private static JsonNode history(ApiClient api, String path) {
        try {
            return api.get(path + "/history", Map.of()).json();
        } catch (ApiException e) {
            if (e.exitCode() == ExitCode.NOT_FOUND) {
                return ApiClient.JSON.nullNode();
            }
            throw e;
        }
    }

    private void printSummary(JsonNode tx, Instant now) {
        PrintWriter out = out();
        out.println("Transaction:  " + Text.of(tx.path("id")));
        String decision = tx.path("outcome").isTextual() ? "decision " + tx.path("outcome").asText() : "undecided";
        out.println("State:        " + Style.state(Text.of(tx.path("state"))) + "  (" + decision
                + (tx.path("presumedAbort").asBoolean() ? ", presumed abort" : "") + ")");
        if (tx.path("reason").isTextual()) {
            out.println("Reason:       " + tx.path("reason").asText());
        }
        out.println("Created:      " + Text.timeAndAge(tx.path("createdAt"), now));
        if (tx.path("decidedAt").isTextual()) {
            out.println("Decided:      " + Text.timeAndAge(tx.path("decidedAt"), now));
        } else {
            out.println("Expires:      " + Text.timeAndAge(tx.path("expiresAt"), now));
        }
        if (tx.path("completedAt").isTextual()) {
            out.println("Completed:    " + Text.timeAndAge(tx.path("completedAt"), now));
        }
        var waiting = Transactions.waitingBranches(tx);
        if (!waiting.isEmpty()) {
            out.println("Waiting on:   " + String.join(", ", waiting.stream().map(b -> b.path("participant").asText()
                    + " (" + b.path("attempts").asInt() + " failed, last: " + Text.of(b.path("lastError")) + ")").toList()));
        }
        if (tx.path("nextAttemptAt").isTextual()) {
            out.println("Next attempt: " + Text.timeAndAge(tx.path("nextAttemptAt"), now));
        }
        JsonNode ack = tx.path("acknowledged");
        if (ack.isObject()) {
            out.println("Acknowledged: " + Text.timeAndAge(ack.path("at"), now) + " by " + Text.of(ack.path("by"))
                    + ": " + Text.of(ack.path("reason")));
        }
    }
}
