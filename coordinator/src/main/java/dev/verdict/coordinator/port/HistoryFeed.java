package dev.verdict.coordinator.port;

import dev.verdict.coordinator.model.HistoryEntry;
import java.util.List;
import java.util.Set;

/**
 * The history table read as a feed, by id (the live event stream, GET /events). Ids become
 * visible in id order across every node (each history batch takes one advisory lock before it
 * draws ids), so a reader that has seen id N never later finds a smaller one.
 */
public interface HistoryFeed {

    /**
     * Entries with {@code afterId < id <= upTo} that match {@code filter}, in id order, at most {@code limit}.
     *
     * @throws StoreUnavailable when the database does not answer
     */
    List<HistoryEntry> after(long afterId, long upTo, Filter filter, int limit);

    /** The largest id recorded so far (0 when there is none): where a stream without a past starts. */
    long newest();

    /** Empty sets match everything; otherwise an entry matches when its field is one of the set. */
    record Filter(Set<String> transactions, Set<String> participants, Set<String> kinds) {

        public static final Filter ALL = new Filter(Set.of(), Set.of(), Set.of());

        public Filter {
            transactions = Set.copyOf(transactions);
            participants = Set.copyOf(participants);
            kinds = Set.copyOf(kinds);
        }

        public boolean matches(HistoryEntry e) {
            return within(transactions, e.transactionId()) && within(participants, e.participant()) && within(kinds, e.kind());
        }

        /** Immutable sets refuse to be asked about null: a participant's entry has no transaction. */
        private static boolean within(Set<String> set, String value) {
            return set.isEmpty() || value != null && set.contains(value);
        }
    }
}
