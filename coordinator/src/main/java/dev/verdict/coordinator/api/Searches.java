package dev.verdict.coordinator.api;

import dev.verdict.coordinator.api.Views.NodeView;
import dev.verdict.coordinator.api.Views.SearchView;
import dev.verdict.coordinator.api.Views.TransactionView;
import dev.verdict.coordinator.service.CoordinatorNode;
import dev.verdict.coordinator.service.SearchQuery;
import dev.verdict.coordinator.service.ThisNode;
import dev.verdict.coordinator.service.TransactionSearch;
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
        if (!scope.isEmpty() && !scope.equals(List.of("node"))) {
            throw ProblemException.badRequest("scope, when given, must be 'node' (this node's memory only).");
        }
        ThisNode self = coordinator.node();
        List<NodeView> nodes = new ArrayList<>(List.of(new NodeView(self.name(), self.incarnation(), self.address(), true, null)));
        List<List<TransactionView>> sources = new ArrayList<>();
        sources.add(search.held(q).stream().map(TransactionView::of).toList());
        if (scope.isEmpty()) {
            String query = "/transactions?" + (rawQuery == null || rawQuery.isEmpty() ? "" : rawQuery + "&") + "scope=node";
            for (PeerReads.Reply<SearchView> reply : peers.get(query, credential, SearchView.class)) {
                if (reply.answer() != null) {
                    sources.add(reply.answer().items());
                }
                nodes.add(reply.node());
            }
            // Memory first: a transaction held by a node is newer there than its row in the log.
            sources.add(search.logged(q).stream().map(TransactionView::of).toList());
        }
        TransactionSearch.Page<TransactionView> page = TransactionSearch.merge(q, sources, TransactionView::id);
        return new SearchView(page.items(), page.nextCursor(), nodes);
    }
}
