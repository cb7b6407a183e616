package dev.verdict.participant.kit;

import io.quarkus.arc.Arc;
import jakarta.enterprise.context.RequestScoped;
import java.util.Optional;

/**
 * The transaction the current request works in: the one it joined, or began through
 * {@link Verdict#begin}. {@link TransactionPropagation} puts it on outgoing REST-client calls.
 */
@RequestScoped
public class CurrentTransaction {

    private String id;

    void set(String id) {
        this.id = id;
    }

    /** Empty outside a request, or when the request has neither joined nor begun one. */
    public static Optional<String> id() {
        if (!Arc.container().requestContext().isActive()) {
            return Optional.empty();
        }
        return Optional.ofNullable(Arc.container().instance(CurrentTransaction.class).get().id);
    }
}
