package dev.verdict.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A transaction's history as a timeline. A participant that stays down fails one delivery after
 * another, each an entry; shown one a line they would bury everything else, so a run of the same
 * failure (same participant, message and error) reads as one line with its range of attempts.
 */
final class History {

    private History() {}

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    /** One line of the timeline: an entry, or a run of {@code count} alike failures ending at {@code last}. */
    record Line(JsonNode first, JsonNode last, int count) {}

    static List<Line> collapse(JsonNode entries) {
        List<Line> lines = new ArrayList<>();
        for (JsonNode entry : entries) {
            Line previous = lines.isEmpty() ? null : lines.get(lines.size() - 1);
            if (previous != null && sameFailure(previous.last(), entry)) {
                lines.set(lines.size() - 1, new Line(previous.first(), entry, previous.count() + 1));
            } else {
                lines.add(new Line(entry, entry, 1));
            }
        }
        return lines;
    }

    static Table table(JsonNode entries) {
        Table table = new Table("AT (UTC)", "NODE", "KIND", "PARTICIPANT", "DETAIL");
        for (Line line : collapse(entries)) {
            Instant at = Text.instant(line.first().path("at"));
            table.row(at == null ? Text.NONE : TIME.format(at), Text.of(line.first().path("node")),
                    kind(line), Text.of(line.first().path("participant")), detail(line));
        }
        return table;
    }

    private static String kind(Line line) {
        String kind = Text.of(line.first().path("kind"));
        if (kind.equals("DELIVERY_FAILED")) {
            return Style.alarm(line.count() == 1 ? kind : kind + " x" + line.count());
        }
        return kind.equals("OPERATOR_ACTION") ? Style.bold(kind) : kind;
    }

    private static String detail(Line line) {
        JsonNode detail = line.last().path("detail");
        if (line.count() == 1) {
            return Text.truncate(pairs(detail), 160);
        }
        String attempts = "attempts " + line.first().path("detail").path("attempt").asText("?") + "-"
                + detail.path("attempt").asText("?");
        Instant last = Text.instant(line.last().path("at"));
        return Text.truncate("message=" + Text.of(detail.path("message")) + " " + attempts
                + (last == null ? "" : " (last " + TIME.format(last) + ")") + " error=" + quoted(detail.path("error")), 160);
    }

    /**
     * {@code key=value key="two words"}: the fields a reader looks for first in a fixed order (the
     * coordinator's detail is a map, its order arbitrary), then the rest as given.
     */
    static String pairs(JsonNode detail) {
        StringJoiner text = new StringJoiner(" ");
        for (String key : FIRST) {
            if (detail.hasNonNull(key)) {
                text.add(key + "=" + quoted(detail.get(key)));
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = detail.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!field.getValue().isNull() && !FIRST.contains(field.getKey())) {
                text.add(field.getKey() + "=" + quoted(field.getValue()));
            }
        }
        return text.toString();
    }

    private static final List<String> FIRST = List.of("action", "actor", "from", "to", "outcome", "applied", "message",
            "attempt", "error", "reason");

    private static String quoted(JsonNode value) {
        String text = value.isValueNode() ? value.asText() : value.toString();
        return text.isEmpty() || text.chars().anyMatch(Character::isWhitespace) ? "\"" + text + "\"" : text;
    }

    private static boolean sameFailure(JsonNode a, JsonNode b) {
        return a.path("kind").asText().equals("DELIVERY_FAILED") && b.path("kind").asText().equals("DELIVERY_FAILED")
                && a.path("participant").equals(b.path("participant"))
                && a.path("detail").path("message").equals(b.path("detail").path("message"))
                && a.path("detail").path("error").equals(b.path("detail").path("error"));
    }
}
