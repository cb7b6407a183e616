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
import java.util.function.Function;

/**
 * Searches transactions in two places: this node's memory (undecided transactions, and decided
 * ones being driven), and the log (decisions, fences, heuristic outcomes). The API adds the other
 * live nodes' memory and merges the lot with {@link #merge}: one keyset page on the id, where a
 * copy from memory wins over the log's row of the same transaction (it is the newer).
 */
public final class TransactionSearch {

    /** One page, and where the next one starts; null when this page is not full (nothing follows). */
    public record Page<T>(List<T> items, String nextCursor) {}

    private final LiveTransactions table;
    private final LogSearch log;
    private final Clock clock;

    TransactionSearch(LiveTransactions table, LogSearch log, Clock clock) {
        this.table = table;
        this.log = log;
        this.clock = clock;
    }

    /** This node's memory: at most {@code limit} matches, in the query's order. Never touches the database. */
    public List<StoredTransaction> held(SearchQuery q) {
        Instant now = clock.instant();
        return table.all().stream().map(LiveTransaction::snapshot).filter(tx -> q.matches(tx, now))
                .sorted(order(q, StoredTransaction::id)).limit(q.limit()).toList();
    }

    /** Blocking: the log's matches, at most {@code limit}, in the query's order. */
    public List<StoredTransaction> logged(SearchQuery q) {
        Instant now = clock.instant();
        return log.search(new LogSearch.Filter(q.states(), q.inDoubt(), q.participant(),
                q.olderThan() == null ? null : now.minus(q.olderThan()), q.decidedAfter(), q.decidedBefore(), q.outcome(),
                q.newestFirst(), q.after(), q.limit()));
    }

    /**
     * One page from several sources, each already filtered and in the query's order: the first
     * copy of an id wins, so list memory's sources before the log's. Every id of the page comes
     * after the cursor and before the next one, so a transaction is never on two pages unless it
     * moved from one source to another between them.
     */
    public static <T> Page<T> merge(SearchQuery q, List<List<T>> sources, Function<T, String> id) {
        Map<String, T> byId = new LinkedHashMap<>();
        for (List<T> source : sources) {
            for (T item : source) {
                byId.putIfAbsent(id.apply(item), item);
            }
        }
        List<T> all = new ArrayList<>(byId.values());
        all.sort(order(q, id));
        List<T> page = List.copyOf(all.subList(0, Math.min(q.limit(), all.size())));
        String next = page.size() < q.limit() ? null
                : SearchQuery.SearchCursor.of(id.apply(page.get(page.size() - 1)), q.newestFirst());
        return new Page<>(page, next);
    }

    private static <T> Comparator<T> order(SearchQuery q, Function<T, String> id) {
        Comparator<T> oldest = Comparator.comparing(id);
        return q.newestFirst() ? oldest.reversed() : oldest;
    }
}
