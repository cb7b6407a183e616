package dev.verdict.coordinator.api;

import dev.verdict.protocol.Outcome;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Query parameters and body fields read by hand, each refused with a 400 problem that names it: a
 * parameter JAX-RS could not convert would be answered 404, as if the path were wrong.
 */
final class Queries {

    private Queries() {}

    /** @return {@code fallback} when the parameter is absent; an empty one is refused like any other non-integer */
    static int intParam(String name, String value, int fallback, int min, int max) {
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException notAnInteger) {
            // answered below
        }
        throw ProblemException.badRequest(name + " must be an integer between " + min + " and " + max + ".");
    }

    /** A non-negative id (an audit entry's, an event's); {@code null} when absent. */
    static Long idParam(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            long id = Long.parseLong(value.strip());
            if (id >= 0) {
                return id;
            }
        } catch (NumberFormatException notAnId) {
            // answered below
        }
        String shown = value.length() > 64 ? value.substring(0, 64) + "…" : value;
        throw ProblemException.badRequest(name + " must be an id (a non-negative integer), not '" + shown + "'.");
    }

    /**
     * {@code scope=node}: answer from this node's memory only, as the node asked does when it asks
     * the others. Absent: the whole cluster. Anything else is refused.
     */
    static boolean nodeScope(String scope) {
        if (scope != null && !scope.equals("node")) {
            throw ProblemException.badRequest("scope, when given, must be 'node' (this node's memory only).");
        }
        return scope != null;
    }

    static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(name + " must be an ISO-8601 instant such as 2026-11-23T03:00:00Z.");
        }
    }

    static String required(String name, String value) {
        if (value == null || value.isBlank()) {
            throw ProblemException.badRequest("Field '" + name + "' is required.");
        }
        return value;
    }

    /** A decision an operator states: COMMITTED or ROLLED_BACK only. */
    static Outcome outcome(String name, String value) {
        if ("COMMITTED".equals(value)) {
            return Outcome.COMMITTED;
        }
        if ("ROLLED_BACK".equals(value)) {
            return Outcome.ROLLED_BACK;
        }
        throw ProblemException.badRequest("Field '" + name + "' must be COMMITTED or ROLLED_BACK.");
    }
}
