package dev.verdict.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code verdict status}: what an operator looks at first (GET /status). */
@Command(name = "status", description = "Counts by state, the in-doubt transactions and the live nodes.")
final class StatusCommand extends ApiCommand {

    private static final List<String> STATES = List.of("ACTIVE", "PREPARING", "COMMITTING", "ROLLING_BACK", "HEURISTIC");

    @Option(names = "--limit", paramLabel = "N", description = "In-doubt transactions listed, 1-1000 (default 100).")
    Integer limit;

    @Override
    void execute(ApiClient api) {
        ApiClient.Answer answer = api.get("/status", Map.of("limit", limit == null ? 100 : limit));
        if (json()) {
            printJson(answer.body());
            return;
        }
        JsonNode status = answer.json();
        PrintWriter out = out();
        out.println("Nodes:      " + nodes(status.path("nodes")));
        long inDoubt = status.path("inDoubtCount").asLong();
        out.println("In doubt:   " + inDoubt + (inDoubt == 0 ? ""
                : "  (oldest decided " + Text.ageMs(status.path("oldestInDoubtAgeMs")) + " ago)"));
        JsonNode counts = status.path("counts");
        long undecided = counts.path("ACTIVE").asLong() + counts.path("PREPARING").asLong();
        out.println("Undecided:  " + undecided + (undecided == 0 ? ""
                : "  (oldest began " + Text.ageMs(status.path("oldestUndecidedAgeMs")) + " ago)"));
        List<String> byState = new ArrayList<>();
        for (String state : STATES) {
            byState.add(Style.state(state) + " " + counts.path(state).asLong());
        }
        out.println("By state:   " + String.join("  ", byState));
        if (status.path("inDoubt").size() > 0) {
            out.println();
            out.println(Style.bold("In doubt, oldest decision first:"));
            Table table = Transactions.table();
            Instant now = Instant.now();
            status.path("inDoubt").forEach(tx -> Transactions.addRow(table, tx, now));
            table.print(out);
        }
    }

    private static String nodes(JsonNode nodes) {
        List<String> names = new ArrayList<>();
        List<String> silent = new ArrayList<>();
        for (JsonNode node : nodes) {
            names.add(node.path("name").asText());
            if (!node.path("answered").asBoolean(true)) {
                silent.add(node.path("name").asText() + " (" + Text.of(node.path("error")) + ")");
            }
        }
        String text = nodes.size() + " live (" + String.join(", ", names) + ")";
        return silent.isEmpty() ? text + ", all answered" : text + "; " + Style.alarm("not answering: " + String.join(", ", silent));
    }
}
