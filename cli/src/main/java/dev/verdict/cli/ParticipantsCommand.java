package dev.verdict.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code verdict participants ...}: registrations and how deliveries to them go; pause, resume, retry. */
@Command(name = "participants", description = "Registered participants and their deliveries; pause, resume, retry.",
        subcommands = {ParticipantsCommand.List.class, ParticipantsCommand.Show.class, ParticipantsCommand.Pause.class,
                ParticipantsCommand.Resume.class, ParticipantsCommand.Retry.class})
final class ParticipantsCommand implements Runnable {

    @Mixin
    GlobalOptions global;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing command: ls, show, pause, resume or retry");
    }

    @Command(name = "ls", description = "Every participant: backlog, oldest waiting, last success and failure, pause.")
    static final class List extends ApiCommand {
        @Override
        void execute(ApiClient api) {
            ApiClient.Answer answer = api.get("/participants", Map.of());
            if (json()) {
                printJson(answer.body());
                return;
            }
            Table table = new Table("NAME", "BACKLOG", "OLDEST WAITING", "LAST SUCCESS", "LAST FAILURE", "PAUSED", "LAST ERROR");
            Instant now = Instant.now();
            for (JsonNode p : answer.json()) {
                table.row(Text.of(p.path("name")), p.path("backlog").asText(Text.NONE), Text.ageMs(p.path("oldestWaitingAgeMs")),
                        ago(p.path("lastSuccessAt"), now), ago(p.path("lastFailureAt"), now),
                        p.path("paused").isObject() ? Style.alarm("paused") : Text.NONE,
                        Style.alarm(Text.truncate(Text.of(p.path("lastError")), 60)));
            }
            if (table.isEmpty()) {
                out().println("No participant is registered.");
            } else {
                table.print(out());
                java.util.Set<String> silent = new java.util.TreeSet<>();
                answer.json().forEach(p -> p.path("unansweredNodes").forEach(n -> silent.add(n.asText())));
                if (!silent.isEmpty()) {
                    out().println(unanswered(silent));
                }
            }
        }
    }

    /** Each node counts its own deliveries: one that did not answer is missing from every figure. */
    static String unanswered(Iterable<String> nodes) {
        return Style.alarm("Not answering: " + String.join(", ", nodes) + " (deliveries it drives are missing from these figures)");
    }

    @Command(name = "show", description = "One participant.")
    static final class Show extends ApiCommand {

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        void execute(ApiClient api) {
            ApiClient.Answer answer = api.get("/participants/" + ApiClient.segment(name), Map.of());
            if (json()) {
                printJson(answer.body());
            } else {
                describe(out(), answer.json(), Instant.now());
            }
        }
    }

    /** {@code POST /participants/{name}/actions/{action}} with a reason. */
    abstract static class Action extends ApiCommand {

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why: recorded in the audit log with who you are.")
        String reason;

        abstract String action();

        @Override
        final void execute(ApiClient api) {
            ApiClient.Answer answer = api.post("/participants/" + ApiClient.segment(name) + "/actions/" + action(),
                    Map.of("reason", reason));
            if (json()) {
                printJson(answer.body());
                return;
            }
            out().println(Text.done(answer.json())); // the answer is the audit entry
        }
    }

    @Command(name = "pause", description = "Hold deliveries to it: prepares fail at once, phase-2 messages wait.")
    static final class Pause extends Action {
        @Override
        String action() {
            return "pause";
        }
    }

    @Command(name = "resume", description = "Deliver to it again; everything waiting is retried now.")
    static final class Resume extends Action {
        @Override
        String action() {
            return "resume";
        }
    }

    @Command(name = "retry", description = "Retry everything waiting on it now.")
    static final class Retry extends Action {
        @Override
        String action() {
            return "retry";
        }
    }

    static void describe(PrintWriter out, JsonNode p, Instant now) {
        out.println("Participant:     " + Text.of(p.path("name")));
        out.println("Callback URL:    " + Text.of(p.path("callbackUrl")));
        out.println("Registered:      " + Text.timeAndAge(p.path("registeredAt"), now));
        out.println("Updated:         " + Text.timeAndAge(p.path("updatedAt"), now));
        out.println("Backlog:         " + p.path("backlog").asText(Text.NONE)
                + (p.path("oldestWaitingAgeMs").isNumber() ? "  (oldest waiting " + Text.ageMs(p.path("oldestWaitingAgeMs")) + ")" : ""));
        out.println("Last success:    " + Text.timeAndAge(p.path("lastSuccessAt"), now));
        out.println("Last failure:    " + Text.timeAndAge(p.path("lastFailureAt"), now));
        out.println("Last error:      " + Style.alarm(Text.of(p.path("lastError"))));
        if (p.path("unansweredNodes").size() > 0) {
            java.util.List<String> silent = new java.util.ArrayList<>();
            p.path("unansweredNodes").forEach(n -> silent.add(n.asText()));
            out.println("                 " + unanswered(silent));
        }
        JsonNode paused = p.path("paused");
        out.println("Paused:          " + (paused.isObject()
                ? Style.alarm("since " + Text.timeAndAge(paused.path("at"), now)) + " by " + Text.of(paused.path("by"))
                        + ": " + Text.of(paused.path("reason"))
                : "no"));
    }

    private static String ago(JsonNode instant, Instant now) {
        String age = Text.ageOf(instant, now);
        return age.equals(Text.NONE) ? age : age + " ago";
    }
}
