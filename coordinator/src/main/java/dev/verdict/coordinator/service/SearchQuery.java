package dev.verdict.coordinator.service;

import dev.verdict.coordinator.core.TransactionIds;
import dev.verdict.coordinator.core.TransactionState;
import dev.verdict.coordinator.model.StoredTransaction;
import dev.verdict.protocol.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One search of transactions (GET /transactions, docs/operator-api.md), read from query parameters
 * and refused with a message naming the parameter when one is wrong. Also says whether a
 * transaction held in memory matches, so that memory and the log are filtered alike.
 *
 * @param states never empty; every state when the search names none
 * @param after the last id of the previous page (from the cursor), or null
 */
public record SearchQuery(Set<TransactionState> states, Boolean inDoubt, String participant, Duration olderThan,
                          Instant decidedAfter, Instant decidedBefore, Outcome outcome, boolean newestFirst, String after,
                          int limit) {

    public static final int MAX_LIMIT = 500;
    public static final List<String> PARAMETERS = List.of("state", "inDoubt", "participant", "olderThan", "decidedAfter",
            "decidedBefore", "outcome", "order", "limit", "cursor", "scope");
    private static final Pattern SHORT_DURATION = Pattern.compile("([0-9]{1,9})(s|m|h|d)");

    /** @throws ServiceException.Invalid naming the first parameter that is wrong, and how */
    public static SearchQuery parse(Map<String, List<String>> params) {
        for (String name : params.keySet()) {
            if (!PARAMETERS.contains(name)) {
                throw invalid("Unknown parameter '" + name + "'; a search takes " + String.join(", ", PARAMETERS) + ".");
            }
        }
        boolean newest = switch (one(params, "order", "newest")) {
            case "newest" -> true;
            case "oldest" -> false;
            default -> throw invalid("order must be 'newest' or 'oldest'.");
        };
        Instant after = instant(params, "decidedAfter");
        Instant before = instant(params, "decidedBefore");
        if (after != null && before != null && !after.isBefore(before)) {
            throw invalid("decidedAfter must be earlier than decidedBefore.");
        }
        return new SearchQuery(states(params), inDoubt(params), participant(params), olderThan(params), after, before,
                outcome(params), newest, SearchCursor.read(one(params, "cursor", null), newest), limit(params));
    }

    /** Whether {@code tx}, as held in memory, matches: the log's filters, applied in Java. */
    public boolean matches(StoredTransaction tx, Instant now) {
        TransactionState state = tx.tx().state();
        if (!states.contains(state) || inDoubt != null && inDoubt != state.isInDoubt()
                || participant != null && !tx.tx().hasBranch(participant)) {
            return false;
        }
        boolean decided = state.isDecided() && tx.decidedAt() != null;
        if ((decidedAfter != null || decidedBefore != null || outcome != null) && !decided) {
            return false;
        }
        Instant since = decided ? tx.decidedAt() : tx.createdAt();
        return (olderThan == null || since != null && !since.isAfter(now.minus(olderThan)))
                && (decidedAfter == null || tx.decidedAt().isAfter(decidedAfter))
                && (decidedBefore == null || tx.decidedAt().isBefore(decidedBefore))
                && (outcome == null || outcome == tx.tx().decision())
                && (after == null || (newestFirst ? tx.id().compareTo(after) < 0 : tx.id().compareTo(after) > 0));
    }

    private static Set<TransactionState> states(Map<String, List<String>> params) {
        List<String> given = params.getOrDefault("state", List.of());
        if (given.isEmpty()) {
            return EnumSet.allOf(TransactionState.class);
        }
        Set<TransactionState> states = EnumSet.noneOf(TransactionState.class);
        for (String value : given) {
            for (String name : value.split(",", -1)) {
                try {
                    states.add(TransactionState.valueOf(name.strip()));
                } catch (IllegalArgumentException e) {
                    throw invalid("state '" + name + "' is not a state; use " + Arrays.toString(TransactionState.values())
                            + ", comma-separated or repeated.");
                }
            }
        }
        return states;
    }

    private static Boolean inDoubt(Map<String, List<String>> params) {
        String value = one(params, "inDoubt", null);
        if (value == null) {
            return null;
        }
        if (!value.equals("true") && !value.equals("false")) {
            throw invalid("inDoubt must be 'true' or 'false'.");
        }
        return Boolean.valueOf(value);
    }

    private static String participant(Map<String, List<String>> params) {
        String name = one(params, "participant", null);
        if (name != null && !ParticipantRegistry.isName(name)) {
            throw invalid("participant must be a participant's name: 1-64 characters of a-z, 0-9, '.', '_' and '-'.");
        }
        return name;
    }

    private static Duration olderThan(Map<String, List<String>> params) {
        String value = one(params, "olderThan", null);
        if (value == null) {
            return null;
        }
        Duration d;
        Matcher m = SHORT_DURATION.matcher(value);
        try {
            d = m.matches() ? Duration.of(Long.parseLong(m.group(1)), unit(m.group(2))) : Duration.parse(value);
        } catch (DateTimeParseException | ArithmeticException e) {
            d = null;
        }
        if (d == null || d.isNegative() || d.toDays() > 36_500) {
            throw invalid("olderThan must be a duration such as 30s, 5m, 2h, 1d or ISO-8601 PT5M, not negative.");
        }
        return d;
    }

    private static java.time.temporal.ChronoUnit unit(String u) {
        return switch (u) {
            case "s" -> java.time.temporal.ChronoUnit.SECONDS;
            case "m" -> java.time.temporal.ChronoUnit.MINUTES;
            case "h" -> java.time.temporal.ChronoUnit.HOURS;
            default -> java.time.temporal.ChronoUnit.DAYS;
        };
    }

    private static Instant instant(Map<String, List<String>> params, String name) {
        String value = one(params, name, null);
        try {
            return value == null ? null : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw invalid(name + " must be an ISO-8601 instant in UTC, such as 2026-11-23T03:00:00Z.");
        }
    }

    private static Outcome outcome(Map<String, List<String>> params) {
        String value = one(params, "outcome", null);
        if (value == null) {
            return null;
        }
        if (!value.equals("COMMITTED") && !value.equals("ROLLED_BACK")) {
            throw invalid("outcome must be COMMITTED or ROLLED_BACK.");
        }
        return Outcome.valueOf(value);
    }

    private static int limit(Map<String, List<String>> params) {
        String value = one(params, "limit", "50");
        try {
            int limit = Integer.parseInt(value.strip());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw invalid("limit must be an integer between 1 and " + MAX_LIMIT + ".");
    }

    private static String one(Map<String, List<String>> params, String name, String otherwise) {
        List<String> values = params.getOrDefault(name, List.of());
        if (values.size() > 1) {
            throw invalid(name + " may be given once.");
        }
        return values.isEmpty() ? otherwise : values.get(0);
    }

    static ServiceException.Invalid invalid(String detail) {
        return new ServiceException.Invalid(detail);
    }

    /** The opaque cursor: the order and the last id of a page, so the next page starts after it in the same order. */
    public static final class SearchCursor {

        private SearchCursor() {}

        public static String of(String lastId, boolean newestFirst) {
            String plain = (newestFirst ? "n:" : "o:") + lastId;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
        }

        static String read(String cursor, boolean newestFirst) {
            if (cursor == null) {
                return null;
            }
            String plain;
            try {
                plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                plain = "";
            }
            String id = plain.length() > 2 ? plain.substring(2) : "";
            if (!(plain.startsWith("n:") || plain.startsWith("o:")) || !TransactionIds.isWellFormed(id)) {
                throw invalid("cursor is not one this coordinator gave: pass the nextCursor of the previous page unchanged.");
            }
            if (plain.startsWith("n:") != newestFirst) {
                throw invalid("cursor belongs to a search in the other order: keep 'order' as it was for the first page.");
            }
            return id;
        }
    }
}
