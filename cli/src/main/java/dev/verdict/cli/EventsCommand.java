package dev.verdict.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code verdict events}: tails {@code GET /events}, one line per history entry, until interrupted
 * (or {@code --count} events). A dropped connection, an end of stream or an {@code overflow} event
 * (this reader fell behind) is followed by a reconnection from the last id received, so nothing is
 * missed or shown twice; only a failure to connect at all, or a refusal, ends the command.
 */
@Command(name = "events", description = "Tail the live history of every node (GET /events) until interrupted.")
final class EventsCommand extends ApiCommand {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final long MAX_BACKOFF_MS = 10_000;

    @Option(names = "--transaction", paramLabel = "ID") String transaction;
    @Option(names = "--participant", paramLabel = "NAME") String participant;
    @Option(names = "--kind", split = ",", paramLabel = "KIND", description = "DELIVERY_FAILED, OPERATOR_ACTION, ... (comma-separated).")
    java.util.List<String> kinds;
    @Option(names = "--since", paramLabel = "ID", description = "Start after this event id (0: everything still kept).")
    String since;
    @Option(names = "--count", paramLabel = "N", description = "Stop after N events (for scripts).")
    Long count;

    private String lastId;
    private long received;
    private boolean overflowed;

    @Override
    void execute(ApiClient api) {
        lastId = since;
        boolean connectedOnce = false;
        long backoffMs = 500;
        while (count == null || received < count) {
            try (Stream<String> lines = api.stream("/events", query(), connectedOnce ? lastId : null)) {
                connectedOnce = true;
                backoffMs = 500;
                if (read(lines.iterator())) {
                    return;
                }
                err().println("verdict: " + (overflowed ? "fell behind the stream (overflow)" : "the stream ended")
                        + "; reconnecting after event " + (lastId == null ? "(none yet)" : "#" + lastId));
            } catch (UncheckedIOException dropped) {
                err().println("verdict: connection lost (" + dropped.getCause().getMessage() + "); reconnecting");
            } catch (ApiException e) {
                if (!connectedOnce || e.exitCode() != ExitCode.UNAVAILABLE) {
                    throw e;
                }
                err().println("verdict: " + e.getMessage() + "; retrying in " + Text.age(java.time.Duration.ofMillis(backoffMs)));
                pause(backoffMs);
                backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
            }
        }
    }

    /** Prints events until the stream ends (false) or enough were printed (true). */
    private boolean read(Iterator<String> lines) {
        overflowed = false;
        boolean[] done = {false};
        ServerSentEvents parser = new ServerSentEvents(event -> {
            if (event.name().equals("overflow")) {
                overflowed = true;
                return;
            }
            print(event);
            lastId = event.id() != null ? event.id() : lastId;
            received++;
            done[0] = count != null && received >= count;
        });
        while (!done[0] && !overflowed && lines.hasNext()) {
            parser.accept(lines.next());
        }
        return done[0];
    }

    private Map<String, Object> query() {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("transaction", transaction);
        query.put("participant", participant);
        query.put("kind", kinds == null ? null : String.join(",", kinds));
        query.put("since", lastId);
        return query;
    }

    private void print(ServerSentEvents.Event event) {
        if (json()) {
            out().println(event.data());
            out().flush();
            return;
        }
        JsonNode entry;
        try {
            entry = ApiClient.JSON.readTree(event.data());
        } catch (JsonProcessingException e) {
            out().println("#" + event.id() + " " + event.name() + " " + event.data());
            return;
        }
        Instant at = Text.instant(entry.path("at"));
        out().println(String.join("  ", at == null ? Text.NONE : TIME.format(at), "#" + Text.of(entry.path("id")),
                String.format("%-19s", event.name()), Text.of(entry.path("transactionId")),
                Text.of(entry.path("participant")), History.pairs(entry.path("detail"))).stripTrailing());
        out().flush();
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms); // a reconnection's backoff, not a wait for a condition
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ExitCode.UNAVAILABLE, "interrupted");
        }
    }
}
