package dev.verdict.coordinator.service;

import dev.verdict.coordinator.model.StoredTransaction;
import dev.verdict.coordinator.port.LogSearch;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Searches transactions in two places: this node's memory (undecided transactions, and decided
 * ones being driven), and the log (decisions, fences, heuristic outcomes). The API adds the other
 * live nodes' memory and merges the lot with {@link #merge}: one keyset page on the id, where a
 * copy from memory wins over the log's row of the same transaction (it is the newer).
 */
public final class TransactionSearch {

    /** One page, and where the next one starts; null when nothing follows. */
    public record Page<T>(List<T> items, String nextCursor) {}

    private final LiveTransactions table;
    private final LogSearch log;
    private final Clock clock;

    TransactionSearch(LiveTransactions table, LogSearch log, Clock clock) {
        this.table = table;
        this.log = log;
        this.clock = clock;
    }

    /**
     * What one source said: at most {@code limit} matches in the query's order, and, when it had
     * that many (it may have more), the last id it read: nothing beyond it is known from it.
     */
    public record Source<T>(List<T> items, String horizon) {
        public static <T> Source<T> of(SearchQuery q, List<T> items, Function<T, String> id) {
            return new Source<>(items, items.size() < q.limit() ? null : id.apply(items.get(items.size() - 1)));
        }
    }

    /** This node's memory: at most {@code limit} matches, in the query's order. Never touches the database. */
    public Held held(SearchQuery q) {
        Instant now = clock.instant();
        List<StoredTransaction> snapshot = table.all().stream().map(LiveTransaction::snapshot).toList();
        Set<String> ids = snapshot.stream().map(StoredTransaction::id).collect(Collectors.toUnmodifiableSet());
        return new Held(snapshot.stream().filter(tx -> q.matches(tx, now)).sorted(order(q, StoredTransaction::id))
                .limit(q.limit()).toList(), ids);
    }

    /**
     * What this node held when {@link #held} read its memory.
     *
     * @param matches the query's matches, at most its limit, in its order
     * @param ids every transaction held then, matching or not: the log's rows of exactly these are
     *        left out of {@link #logged}. A transaction taken over in between is then read from the
     *        log rather than missed by both.
     */
    public record Held(List<StoredTransaction> matches, Set<String> ids) {}

    /**
     * Blocking: the log's matches, at most {@code limit}, in the query's order, less the rows of
     * transactions this node held: its copy in memory is the newer, and was searched in {@link #held}.
     */
    public Source<StoredTransaction> logged(SearchQuery q, Set<String> held) {
        Instant now = clock.instant();
        List<StoredTransaction> rows = log.search(new LogSearch.Filter(q.states(), q.inDoubt(), q.participant(),
                q.olderThan() == null ? null : now.minus(q.olderThan()), q.decidedAfter(), q.decidedBefore(), q.outcome(),
                q.newestFirst(), q.after(), q.limit()));
        Source<StoredTransaction> read = Source.of(q, rows, StoredTransaction::id);
        return new Source<>(rows.stream().filter(tx -> !held.contains(tx.id())).toList(), read.horizon());
    }

    /**
     * One page from several sources, each already filtered and in the query's order: the first
     * copy of an id wins, so list memory's sources before the log's. A source that filled its
     * limit may hold more beyond its last id (its horizon), so the page stops at the nearest
     * horizon and the next page starts there: no transaction is skipped, none is on two pages
     * (unless it moved from one source to another between them).
     */
    public static <T> Page<T> merge(SearchQuery q, List<Source<T>> sources, Function<T, String> id) {
        Map<String, T> byId = new LinkedHashMap<>();
        String horizon = null;
        for (Source<T> source : sources) {
            source.items().forEach(item -> byId.putIfAbsent(id.apply(item), item));
            if (source.horizon() != null && (horizon == null || before(q, source.horizon(), horizon))) {
                horizon = source.horizon();
            }
        }
        String stop = horizon;
        List<T> all = new ArrayList<>(byId.values().stream().filter(t -> stop == null || !before(q, stop, id.apply(t))).toList());
        all.sort(order(q, id));
        List<T> page = List.copyOf(all.subList(0, Math.min(q.limit(), all.size())));
        String last = page.size() == q.limit() ? id.apply(page.get(page.size() - 1)) : horizon;
        return new Page<>(page, last == null ? null : SearchQuery.SearchCursor.of(last, q.newestFirst()));
    }

    /** Whether id {@code a} comes before {@code b} in the query's order. */
    private static boolean before(SearchQuery q, String a, String b) {
        return q.newestFirst() ? a.compareTo(b) > 0 : a.compareTo(b) < 0;
    }

    private static <T> Comparator<T> order(SearchQuery q, Function<T, String> id) {
        Comparator<T> oldest = Comparator.comparing(id);
        return q.newestFirst() ? oldest.reversed() : oldest;
    }
}
