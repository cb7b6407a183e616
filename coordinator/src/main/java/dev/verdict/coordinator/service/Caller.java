package dev.verdict.coordinator.service;

import dev.verdict.coordinator.model.StoredTransaction;

/**
 * Who asks, as far as the service cares: a client commands and reads only the transactions it
 * began; an operator reads any; an admin commands any. The API derives it from the credential.
 *
 * @param id a stable, bounded id of the credential (at most 128 characters), recorded as who began
 *        a transaction; never a name a caller can choose to collide with another's
 * @param readsAny whether it may read transactions others began
 * @param commandsAny whether it may commit or roll back transactions others began
 */
public record Caller(String id, boolean readsAny, boolean commandsAny) {

    /** For the simulation: may do anything, and begins transactions nobody in particular owns. */
    public static final Caller ANYONE = new Caller(null, true, true);

    public Caller {
        if (id != null && id.length() > 128) {
            throw new IllegalArgumentException("caller ids are at most 128 characters");
        }
    }

    /** Returns {@code tx} if this caller may read it; a transaction begun by nobody known is open to every client. */
    public StoredTransaction requireMayRead(StoredTransaction tx) {
        return readsAny || isOwnOrNobodys(tx) ? tx : refuse(tx);
    }

    /** Returns {@code tx} if this caller may commit or roll it back. */
    public StoredTransaction requireMayCommand(StoredTransaction tx) {
        return commandsAny || isOwnOrNobodys(tx) ? tx : refuse(tx);
    }

    private boolean isOwnOrNobodys(StoredTransaction tx) {
        return tx.beganBy() == null || tx.beganBy().equals(id);
    }

    private StoredTransaction refuse(StoredTransaction tx) {
        throw new ServiceException.NotYours(tx.id());
    }
}
