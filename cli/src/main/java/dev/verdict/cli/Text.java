package dev.verdict.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** How values read in a table: short ages, readable states, nothing wider than it must be. */
final class Text {

    private Text() {}

    static final String NONE = "-";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    /** {@code 850ms}, {@code 42s}, {@code 3m12s}, {@code 2h05m}, {@code 3d04h}: two units at most. */
    static String age(Duration d) {
        if (d.isNegative()) {
            return "-" + age(d.negated());
        }
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        long s = ms / 1000;
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + String.format("%02ds", s % 60);
        }
        if (s < 86_400) {
            return (s / 3600) + "h" + String.format("%02dm", (s % 3600) / 60);
        }
        return (s / 86_400) + "d" + String.format("%02dh", (s % 86_400) / 3600);
    }

    /** The age of a JSON instant as of {@code now}, or "-" when absent. */
    static String ageOf(JsonNode instant, Instant now) {
        Instant at = instant(instant);
        return at == null ? NONE : age(Duration.between(at, now));
    }

    /** A JSON duration in milliseconds as an age, or "-" when absent. */
    static String ageMs(JsonNode millis) {
        return millis == null || millis.isNull() || millis.isMissingNode() ? NONE : age(Duration.ofMillis(millis.asLong()));
    }

    /** {@code 2026-11-23 03:12:09 (3m12s ago)}, or "-". */
    static String timeAndAge(JsonNode instant, Instant now) {
        Instant at = instant(instant);
        if (at == null) {
            return NONE;
        }
        Duration since = Duration.between(at, now);
        String relative = since.isNegative() ? "in " + age(since.negated()) : age(since) + " ago";
        return TIME.format(at) + " UTC (" + relative + ")";
    }

    static Instant instant(JsonNode node) {
        if (node == null || !node.isTextual()) {
            return null;
        }
        try {
            return Instant.parse(node.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** A text field, or "-" for null or absent. */
    static String of(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() || node.asText().isEmpty() ? NONE : node.asText();
    }

    /** At most {@code max} characters on one line, an ellipsis marking the cut. */
    static String truncate(String text, int max) {
        String line = text == null ? "" : text.replaceAll("\\s+", " ").strip();
        return line.length() <= max ? line : line.substring(0, Math.max(0, max - 1)) + "…";
    }

    /** What an operator action did, from the audit entry the coordinator answered with. */
    static String done(JsonNode audit) {
        return "Done: " + of(audit.path("action")) + " by " + of(audit.path("actor")) + " (audit #" + of(audit.path("id")) + ").";
    }
}
