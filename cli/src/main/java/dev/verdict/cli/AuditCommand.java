package dev.verdict.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code verdict audit ls}: who did what to which transaction or participant, and why (GET /audit). */
@Command(name = "audit", description = "The append-only log of operator actions.", subcommands = AuditCommand.List.class)
final class AuditCommand implements Runnable {

    @Mixin
    GlobalOptions global;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing command: ls");
    }

    @Command(name = "ls", description = "Operator actions, newest first.")
    static final class List extends ApiCommand {

        private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

        @Option(names = "--transaction", paramLabel = "ID") String transaction;
        @Option(names = "--participant", paramLabel = "NAME") String participant;
        @Option(names = "--actor", paramLabel = "ACTOR", description = "Who, as recorded: key:<name> or jwt:<id>.") String actor;
        @Option(names = "--action", paramLabel = "ACTION",
                description = "RETRY, ROLLBACK, RESOLVE_BRANCH, RECORD_OUTCOME, ACKNOWLEDGE, PAUSE, RESUME, RETRY_PARTICIPANT.")
        String action;
        @Option(names = "--since", paramLabel = "INSTANT", description = "ISO-8601.") String since;
        @Option(names = "--until", paramLabel = "INSTANT", description = "ISO-8601.") String until;
        @Option(names = "--limit", paramLabel = "N", description = "Per page, 1-500 (default 50).") Integer limit;
        @Option(names = "--cursor", paramLabel = "CURSOR") String cursor;
        @Option(names = "--all", description = "Follow the cursors: every page.") boolean all;

        @Override
        void execute(ApiClient api) {
            Map<String, Object> query = new LinkedHashMap<>();
            query.put("transaction", transaction);
            query.put("participant", participant);
            query.put("actor", actor);
            query.put("action", action);
            query.put("since", since);
            query.put("until", until);
            query.put("limit", limit);
            query.put("cursor", cursor);
            ApiClient.Answer page = Pages.fetch(api, "/audit", query, all);
            if (json()) {
                printJson(page.body());
                return;
            }
            Table table = new Table("ID", "AT (UTC)", "ACTOR", "ACTION", "TRANSACTION", "PARTICIPANT", "REASON", "DETAIL");
            for (JsonNode entry : page.json().path("items")) {
                Instant at = Text.instant(entry.path("at"));
                table.row(Text.of(entry.path("id")), at == null ? Text.NONE : TIME.format(at), Text.of(entry.path("actor")),
                        Style.bold(Text.of(entry.path("action"))), Text.of(entry.path("transactionId")),
                        Text.of(entry.path("participant")), Text.truncate(Text.of(entry.path("reason")), 80),
                        Text.truncate(History.pairs(entry.path("detail")), 60));
            }
            if (table.isEmpty()) {
                out().println("No audit entries match.");
            } else {
                table.print(out());
            }
            String more = Pages.more(page.json(), all);
            if (more != null) {
                out().println(more);
            }
        }
    }
}
