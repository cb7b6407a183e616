package dev.verdict.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code verdict tx ls}: GET /transactions with its filters. */
@Command(name = "ls", description = "Search transactions (newest first unless --oldest).")
final class TxListCommand extends ApiCommand {

    @Option(names = "--state", split = ",", paramLabel = "STATE",
            description = "ACTIVE, PREPARING, COMMITTING, ROLLING_BACK, COMMITTED, ROLLED_BACK, HEURISTIC (comma-separated).")
    List<String> states;

    @Option(names = "--in-doubt", description = "Decided and not acknowledged by every participant, or HEURISTIC unacknowledged.")
    boolean inDoubt;

    @Option(names = "--participant", paramLabel = "NAME", description = "Has a branch for this participant.")
    String participant;

    @Option(names = "--older-than", paramLabel = "AGE", description = "Began (undecided) or decided at least this long ago: 30s, 5m, 2h, 1d, PT5M.")
    String olderThan;

    @Option(names = "--outcome", paramLabel = "OUTCOME", description = "COMMITTED or ROLLED_BACK.")
    String outcome;

    @Option(names = "--decided-after", paramLabel = "INSTANT", description = "Decided after this ISO-8601 instant.")
    String decidedAfter;

    @Option(names = "--decided-before", paramLabel = "INSTANT", description = "Decided before this ISO-8601 instant.")
    String decidedBefore;

    @Option(names = "--oldest", description = "Oldest first.")
    boolean oldest;

    @Option(names = "--limit", paramLabel = "N", description = "Per page, 1-500 (default 50).")
    Integer limit;

    @Option(names = "--cursor", paramLabel = "CURSOR", description = "Go on from a previous page.")
    String cursor;

    @Option(names = "--all", description = "Follow the cursors: every page.")
    boolean all;

    @Override
    void execute(ApiClient api) {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("state", states == null ? null : String.join(",", states));
        query.put("inDoubt", inDoubt ? "true" : null);
        query.put("participant", participant);
        query.put("olderThan", olderThan);
        query.put("outcome", outcome);
        query.put("decidedAfter", decidedAfter);
        query.put("decidedBefore", decidedBefore);
        query.put("order", oldest ? "oldest" : null);
        query.put("limit", limit);
        query.put("cursor", cursor);
        ApiClient.Answer page = Pages.fetch(api, "/transactions", query, all);
        if (json()) {
            printJson(page.body());
            return;
        }
        JsonNode items = page.json().path("items");
        if (items.isEmpty()) {
            out().println("No transactions match.");
        } else {
            Table table = Transactions.table();
            Instant now = Instant.now();
            items.forEach(tx -> Transactions.addRow(table, tx, now));
            table.print(out());
        }
        java.util.List<String> silent = new java.util.ArrayList<>();
        page.json().path("nodes").forEach(n -> {
            if (!n.path("answered").asBoolean(true)) {
                silent.add(n.path("name").asText());
            }
        });
        if (!silent.isEmpty()) {
            out().println(Style.alarm("Not answering: " + String.join(", ", silent)
                    + " (undecided transactions only they hold are missing from this list)"));
        }
        String more = Pages.more(page.json(), all);
        if (more != null) {
            out().println(more);
        }
    }
}
