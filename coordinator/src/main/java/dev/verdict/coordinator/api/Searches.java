package dev.verdict.coordinator.api;

import dev.verdict.coordinator.api.Views.NodeView;
import dev.verdict.coordinator.api.Views.SearchView;
import dev.verdict.coordinator.api.Views.TransactionView;
import dev.verdict.coordinator.model.StoredTransaction;
import dev.verdict.coordinator.service.CoordinatorNode;
import dev.verdict.coordinator.service.SearchQuery;
import dev.verdict.coordinator.service.ThisNode;
import dev.verdict.coordinator.service.TransactionSearch;
import dev.verdict.coordinator.service.TransactionSearch.Source;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /transactions}: this node's memory, every other live node's memory (asked with
 * {@code scope=node} and the same parameters), and the log, merged into one page. Blocking.
 */
@ApplicationScoped
public class Searches {

    @Inject
    TransactionSearch search;

    @Inject
    PeerReads peers;

    @Inject
    CoordinatorNode coordinator;

    SearchView search(Map<String, List<String>> params, String rawQuery, String credential) {
        SearchQuery q = SearchQuery.parse(params);
        List<String> scope = params.getOrDefault("scope", List.of());
        boolean nodeOnly = Queries.nodeScope(scope.isEmpty() ? null : scope.size() == 1 ? scope.get(0) : "");
        ThisNode self = coordinator.node();
        List<NodeView> nodes = new ArrayList<>(List.of(new NodeView(self.name(), self.incarnation(), self.address(), true, null)));
        List<Source<TransactionView>> sources = new ArrayList<>();
        TransactionSearch.Held held = search.held(q);
        sources.add(Source.of(q, held.matches().stream().map(TransactionView::of).toList(), TransactionView::id));
        if (!nodeOnly) {
            String query = "/transactions?" + (rawQuery == null || rawQuery.isEmpty() ? "" : rawQuery + "&") + "scope=node";
            for (PeerReads.Reply<SearchView> reply : peers.get(query, credential, SearchView.class)) {
                if (reply.answer() != null) {
                    sources.add(Source.of(q, reply.answer().items(), TransactionView::id));
                }
                nodes.add(reply.node());
            }
            // Memory first: a transaction held by a node is newer there than its row in the log.
            Source<StoredTransaction> logged = search.logged(q, held.ids());
            sources.add(new Source<>(logged.items().stream().map(TransactionView::of).toList(), logged.horizon()));
        }
        TransactionSearch.Page<TransactionView> page = TransactionSearch.merge(q, sources, TransactionView::id);
        return new SearchView(page.items(), page.nextCursor(), nodes);
    }
}
