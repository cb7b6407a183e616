package dev.verdict.coordinator.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.verdict.coordinator.core.TransactionState;
import dev.verdict.coordinator.service.TransactionSearch.Page;
import dev.verdict.coordinator.service.TransactionSearch.Source;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Keyset pages merged from memory and the log: nothing skipped, nothing twice, in both orders. */
class SearchMergeTest {

    private static SearchQuery query(boolean newest, String after, int limit) {
        return new SearchQuery(EnumSet.allOf(TransactionState.class), null, null, null, null, null, null, newest, after, limit);
    }

    @Test
    void aFullSourceStopsThePageAtItsLastId() {
        SearchQuery q = query(true, null, 3);
        // The log read c, b, a (full) and dropped b (held in memory, where it no longer matches).
        Source<String> log = new Source<>(List.of("c", "a"), "a");
        Source<String> memory = Source.of(q, List.of("z"), Function.identity());
        Page<String> page = TransactionSearch.merge(q, List.of(memory, log), Function.identity());
        assertEquals(List.of("z", "c", "a"), page.items());
        assertEquals("a", SearchQuery.SearchCursor.read(page.nextCursor(), true));

        Source<String> fewer = new Source<>(List.of("c"), "a"); // read 3, kept 1
        Source<String> older = Source.of(q, List.of("0"), Function.identity()); // beyond the log's horizon: next page
        Page<String> short1 = TransactionSearch.merge(q, List.of(older, fewer), Function.identity());
        assertEquals(List.of("c"), short1.items());
        assertEquals("a", SearchQuery.SearchCursor.read(short1.nextCursor(), true), "the next page starts after the horizon");
    }

    @Test
    void walkingPagesVisitsEveryIdOnceInEitherOrder() {
        List<String> memory = List.of("b", "e", "h", "k");
        List<String> log = List.of("a", "c", "d", "e", "f", "g", "i", "j", "k", "l");
        for (boolean newest : List.of(true, false)) {
            for (int limit = 1; limit <= 6; limit++) {
                List<String> seen = new ArrayList<>();
                String after = null;
                for (int pages = 0; pages < 30; pages++) {
                    SearchQuery q = query(newest, after, limit);
                    Page<String> page = TransactionSearch.merge(q, List.of(read(q, memory), read(q, log)), Function.identity());
                    seen.addAll(page.items());
                    if (page.nextCursor() == null) {
                        break;
                    }
                    after = SearchQuery.SearchCursor.read(page.nextCursor(), newest);
                }
                List<String> all = new ArrayList<>(List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"));
                if (newest) {
                    all.sort(java.util.Comparator.reverseOrder());
                }
                assertEquals(all, seen, "newest=" + newest + " limit=" + limit);
            }
        }
    }

    @Test
    void aPageNobodyFilledIsTheLast() {
        SearchQuery q = query(true, null, 5);
        assertNull(TransactionSearch.merge(q, List.of(read(q, List.of("a", "b"))), Function.identity()).nextCursor());
    }

    /** A source as the store reads it: matches after the cursor, in order, at most limit. */
    private static Source<String> read(SearchQuery q, List<String> ids) {
        List<String> items = ids.stream().filter(id -> q.after() == null || (q.newestFirst() ? id.compareTo(q.after()) < 0
                : id.compareTo(q.after()) > 0)).sorted(q.newestFirst() ? java.util.Comparator.reverseOrder()
                : java.util.Comparator.naturalOrder()).limit(q.limit()).toList();
        return Source.of(q, items, Function.identity());
    }
}
