package dev.verdict.coordinator.model;

import dev.verdict.coordinator.core.Transaction;
import java.time.Instant;

/**
 * A transaction as the log keeps it: the protocol snapshot plus the times the driver needs.
 *
 * @param dueAt when the driver should next look at it (timeout, retry, or a lost reply); null once finished
 */
public record StoredTransaction(Transaction tx, Instant createdAt, Instant expiresAt, Instant decidedAt,
                                Instant completedAt, Instant dueAt) {

    public String id() {
        return tx.id();
    }
}
