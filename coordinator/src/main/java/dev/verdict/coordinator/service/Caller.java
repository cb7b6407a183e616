package dev.verdict.coordinator.service;

import dev.verdict.coordinator.model.StoredTransaction;

/**
 * Who asks, as far as the service cares: a client may command and read only the transactions it
 * began; operators and admins any. The API derives it from the request's credential.
 *
 * @param name the credential's name, recorded as who began a transaction
 * @param anyTransaction whether it may use transactions others began
 */
public record Caller(String name, boolean anyTransaction) {

    /** Used where nobody authenticates (authentication off) and in tests: any transaction, begun by nobody. */
    public static final Caller ANYONE = new Caller(null, true);

    /** Returns {@code tx} if this caller may use it; a transaction begun by nobody known is open to every client. */
    public StoredTransaction requireMayUse(StoredTransaction tx) {
        if (anyTransaction || tx.beganBy() == null || tx.beganBy().equals(name)) {
            return tx;
        }
        throw new ServiceException.NotYours(tx.id(), name);
    }
}
