package dev.verdict.coordinator.api;

import dev.verdict.coordinator.api.Views.TransactionView;
import dev.verdict.coordinator.core.TransactionState;
import dev.verdict.coordinator.model.StoredTransaction;
import dev.verdict.coordinator.port.TransactionQueries;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What an operator looks at first: how many transactions are where, and which ones are stuck. */
@Path("/status")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class StatusResource {

    @Inject
    TransactionQueries queries;

    @Inject
    Clock clock;

    /**
     * @param oldestUndecidedAgeMs age of the oldest ACTIVE or PREPARING transaction, null if none
     * @param oldestInDoubtAgeMs time since the oldest in-doubt transaction was decided, null if none
     * @param inDoubt decided but not acknowledged by every participant, or heuristic; oldest first
     */
    public record StatusView(Map<TransactionState, Long> counts, Long oldestUndecidedAgeMs, Long oldestInDoubtAgeMs,
                             int inDoubtCount, List<TransactionView> inDoubt) {}

    @GET
    public StatusView status(@QueryParam("limit") @DefaultValue("100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw ProblemException.badRequest("limit must be between 1 and 1000.");
        }
        Instant now = clock.instant();
        Map<TransactionState, Long> counts = queries.countByState();
        List<StoredTransaction> inDoubt = queries.inDoubt(limit);
        Long oldestInDoubt = inDoubt.isEmpty() ? null : age(now, inDoubt.get(0).decidedAt());
        long inDoubtCount = counts.entrySet().stream().filter(e -> e.getKey().isInDoubt())
                .mapToLong(Map.Entry::getValue).sum();
        return new StatusView(counts, queries.oldestUndecided().map(t -> age(now, t)).orElse(null), oldestInDoubt,
                (int) inDoubtCount, inDoubt.stream().map(TransactionView::of).toList());
    }

    private static Long age(Instant now, Instant since) {
        return since == null ? null : Math.max(0, Duration.between(since, now).toMillis());
    }
}
