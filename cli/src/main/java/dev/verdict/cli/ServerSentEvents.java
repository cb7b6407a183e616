package dev.verdict.cli;

import java.util.function.Consumer;

/**
 * Reads a {@code text/event-stream} line by line (the WHATWG format): {@code id:}, {@code event:}
 * and {@code data:} fields, a blank line ending each event, comment lines (the keep-alives)
 * skipped. An event's id, once given, stays the last id until another one is.
 */
final class ServerSentEvents {

    /** @param id the last id the stream gave, or null; @param name "message" unless named */
    record Event(String id, String name, String data) {}

    private final Consumer<Event> sink;
    private String lastId;
    private String name;
    private StringBuilder data;

    ServerSentEvents(Consumer<Event> sink) {
        this.sink = sink;
    }

    void accept(String line) {
        if (line.isEmpty()) {
            dispatch();
            return;
        }
        if (line.startsWith(":")) {
            return;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "id" -> lastId = value;
            case "event" -> name = value;
            case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            default -> { } // "retry" and unknown fields: nothing for us
        }
    }

    private void dispatch() {
        if (data != null || name != null) {
            sink.accept(new Event(lastId, name == null ? "message" : name, data == null ? "" : data.toString()));
        }
        name = null;
        data = null;
    }
}
