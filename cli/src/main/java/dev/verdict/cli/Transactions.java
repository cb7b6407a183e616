package dev.verdict.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** How transactions read in a table: what they wait on, how often that failed, and why. */
final class Transactions {

    private Transactions() {}

    private static final Set<String> PHASE_TWO = Set.of("COMMITTING", "ROLLING_BACK");

    static Table table() {
        return new Table("ID", "STATE", "OUTCOME", "AGE", "DECIDED", "WAITING ON", "ATTEMPTS", "LAST ERROR");
    }

    static void addRow(Table table, JsonNode tx, Instant now) {
        List<JsonNode> waiting = waitingBranches(tx);
        JsonNode worst = waiting.stream().max((a, b) -> Integer.compare(a.path("attempts").asInt(), b.path("attempts").asInt()))
                .orElse(null);
        String waitingOn = waiting.isEmpty() ? Text.NONE
                : String.join(",", waiting.stream().map(b -> b.path("participant").asText()).toList());
        table.row(Text.of(tx.path("id")), Style.state(Text.of(tx.path("state"))), Text.of(tx.path("outcome")),
                Text.ageOf(tx.path("createdAt"), now), Text.ageOf(tx.path("decidedAt"), now), waitingOn,
                worst == null ? Text.NONE : worst.path("attempts").asText(),
                worst == null ? Text.NONE : Style.alarm(Text.truncate(Text.of(worst.path("lastError")), 60)));
    }

    /**
     * The branches the transaction cannot finish without: votes still awaited while PREPARING,
     * phase-2 answers still awaited once decided.
     */
    static List<JsonNode> waitingBranches(JsonNode tx) {
        String state = tx.path("state").asText();
        List<JsonNode> waiting = new ArrayList<>();
        for (JsonNode branch : tx.path("branches")) {
            String branchState = branch.path("state").asText();
            boolean awaited = state.equals("PREPARING") ? branchState.equals("ENLISTED")
                    : PHASE_TWO.contains(state) && (branchState.equals("ENLISTED") || branchState.equals("PREPARED"));
            if (awaited) {
                waiting.add(branch);
            }
        }
        return waiting;
    }

    /** Each branch: its state, failed deliveries and last error. */
    static Table branches(JsonNode tx) {
        Table table = new Table("PARTICIPANT", "STATE", "ATTEMPTS", "LAST ERROR");
        for (JsonNode branch : tx.path("branches")) {
            table.row(Text.of(branch.path("participant")), Style.state(Text.of(branch.path("state"))),
                    branch.path("attempts").asText("0"), Style.alarm(Text.of(branch.path("lastError"))));
        }
        return table;
    }
}
