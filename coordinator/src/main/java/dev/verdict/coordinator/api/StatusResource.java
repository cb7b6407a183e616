package dev.verdict.coordinator.api;

import dev.verdict.coordinator.api.Views.NodeView;
import dev.verdict.coordinator.api.Views.StatusView;
import dev.verdict.coordinator.api.Views.TransactionView;
import dev.verdict.coordinator.core.TransactionState;
import dev.verdict.coordinator.model.LogReport;
import dev.verdict.coordinator.model.NodeReport;
import dev.verdict.coordinator.model.StoredTransaction;
import dev.verdict.coordinator.service.StatusService;
import dev.verdict.security.Roles;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What an operator looks at first: how many transactions are where, and which ones are stuck,
 * across every live node. Each node reports what it holds in memory ({@code ?scope=node}); the
 * node asked adds the other nodes' reports and what only the log knows (heuristic outcomes, and
 * decided transactions of dead nodes not yet taken over).
 */
@Path("/status")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class StatusResource {

    @Inject
    StatusService status;

    @Inject
    PeerStatus peers;

    @Inject
    Clock clock;

    /** The caller's own credential asks the other nodes: they check it as this node did. */
    @GET
    @RolesAllowed(Roles.OPERATOR)
    public StatusView status(@QueryParam("limit") String limitParam, @QueryParam("scope") String scope,
                             @HeaderParam("Authorization") String credential) {
        int limit = Queries.intParam("limit", limitParam, 100, 1, 1000);
        boolean nodeOnly = Queries.nodeScope(scope);
        Instant now = clock.instant();
        NodeReport local = status.local(limit);
        StatusView own = view(local, now);
        if (nodeOnly) {
            return own;
        }
        List<StatusView> reports = new ArrayList<>(List.of(own));
        List<NodeView> nodes = new ArrayList<>(own.nodes());
        peers.ask(limit, credential, reports, nodes);
        return merge(reports, status.fromLog(limit), nodes, limit, now);
    }

    private static StatusView view(NodeReport r, Instant now) {
        List<TransactionView> inDoubt = r.inDoubt().stream().map(TransactionView::of).toList();
        long inDoubtCount = r.counts().entrySet().stream().filter(e -> e.getKey().isInDoubt()).mapToLong(Map.Entry::getValue).sum();
        return new StatusView(r.counts(), age(now, r.oldestUndecided()),
                inDoubt.isEmpty() ? null : age(now, inDoubt.get(0).decidedAt()), inDoubtCount, inDoubt,
                List.of(new NodeView(r.name(), r.incarnation(), r.address(), true, null)));
    }

    private static StatusView merge(List<StatusView> reports, LogReport log, List<NodeView> nodes, int limit, Instant now) {
        Map<TransactionState, Long> counts = new EnumMap<>(TransactionState.class);
        List<TransactionView> inDoubt = new ArrayList<>();
        Long oldestUndecided = null;
        long inDoubtCount = log.heuristicCount() + log.orphanedCount();
        for (StatusView r : reports) {
            r.counts().forEach((state, n) -> counts.merge(state, n, Long::sum));
            inDoubt.addAll(r.inDoubt());
            inDoubtCount += r.inDoubtCount();
            if (r.oldestUndecidedAgeMs() != null && (oldestUndecided == null || r.oldestUndecidedAgeMs() > oldestUndecided)) {
                oldestUndecided = r.oldestUndecidedAgeMs();
            }
        }
        for (StoredTransaction orphan : log.orphaned()) {
            inDoubt.add(TransactionView.of(orphan));
        }
        counts.merge(TransactionState.COMMITTING, log.orphanedCount(), Long::sum);
        counts.put(TransactionState.HEURISTIC, log.heuristicCount());
        log.heuristic().stream().map(TransactionView::of).forEach(inDoubt::add);
        inDoubt.sort(Comparator.comparing(TransactionView::decidedAt, Comparator.nullsLast(Comparator.naturalOrder())));
        List<TransactionView> shown = inDoubt.subList(0, Math.min(limit, inDoubt.size()));
        return new StatusView(counts, oldestUndecided, shown.isEmpty() ? null : age(now, shown.get(0).decidedAt()),
                inDoubtCount, List.copyOf(shown), nodes);
    }

    private static Long age(Instant now, Instant since) {
        return since == null ? null : Math.max(0, Duration.between(since, now).toMillis());
    }
}
