package dev.verdict.coordinator.model;

import dev.verdict.coordinator.core.Transaction;
import java.time.Instant;

/**
 * A transaction as the log keeps it: the protocol snapshot plus the times the driver needs.
 *
 * @param dueAt when the driver should next look at it (timeout, retry, or a lost reply); null once finished
 * @param beganBy the name of the credential that began it, which alone may command and read it as
 *        a client; null where nobody is known (a fence, or authentication off)
 * @param acknowledged an operator's acknowledgement of its heuristic outcome, read from the log;
 *        null otherwise (and always in a node's memory: only finished rows are acknowledged)
 */
public record StoredTransaction(Transaction tx, Instant createdAt, Instant expiresAt, Instant decidedAt,
                                Instant completedAt, Instant dueAt, String beganBy, Acknowledgement acknowledged) {

    public StoredTransaction(Transaction tx, Instant createdAt, Instant expiresAt, Instant decidedAt,
                             Instant completedAt, Instant dueAt, String beganBy) {
        this(tx, createdAt, expiresAt, decidedAt, completedAt, dueAt, beganBy, null);
    }

    public String id() {
        return tx.id();
    }
}
