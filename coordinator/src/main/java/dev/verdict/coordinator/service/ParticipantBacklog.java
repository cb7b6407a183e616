package dev.verdict.coordinator.service;

import dev.verdict.coordinator.model.StoredTransaction;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * What waits on each participant among the transactions this node holds: how many, and since
 * when the oldest (its decision, or its start while votes are awaited). Read from memory only.
 */
public final class ParticipantBacklog {

    /** @param oldestSince when the longest-waiting transaction began to wait on it */
    public record Backlog(long waiting, Instant oldestSince) {

        Backlog plus(Instant since) {
            return new Backlog(waiting + 1, oldestSince == null || since.isBefore(oldestSince) ? since : oldestSince);
        }
    }

    private final LiveTransactions table;
    private final DeliveryStats stats;

    ParticipantBacklog(LiveTransactions table, DeliveryStats stats) {
        this.table = table;
        this.stats = stats;
    }

    public Map<String, Backlog> local() {
        Map<String, Backlog> backlog = new HashMap<>();
        for (LiveTransaction live : table.all()) {
            StoredTransaction tx = live.snapshot();
            Instant since = tx.decidedAt() != null ? tx.decidedAt() : tx.createdAt();
            for (String participant : tx.tx().waitingOn()) {
                backlog.merge(participant, new Backlog(1, since), (a, b) -> a.plus(since));
            }
        }
        return backlog;
    }

    public DeliveryStats.Last lastDelivery(String participant) {
        return stats.of(participant);
    }
}
