package dev.verdict.participant.kit;

import io.smallrye.common.vertx.ContextLocals;
import io.smallrye.common.vertx.VertxContext;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.Optional;

/**
 * The transaction the current request works in: the one it joined, or began through
 * {@link Verdict#begin}. {@link TransactionPropagation} puts it on outgoing REST-client calls. Kept
 * in the request's Vert.x context, which the REST client's filters see wherever they run (a CDI
 * request-scoped bean is not active there).
 */
final class CurrentTransaction {

    private static final String KEY = "dev.verdict.participant.kit.transaction";

    private CurrentTransaction() {}

    /** Records {@code id} for the rest of the current request; outside one, does nothing. */
    static void set(String id) {
        if (inRequest()) {
            ContextLocals.put(KEY, id);
        }
    }

    /** The request no longer works in a transaction (it ended): later calls carry no header. */
    static void clear() {
        if (inRequest()) {
            ContextLocals.remove(KEY);
        }
    }

    /** Empty outside a request, or when the request has neither joined nor begun one. */
    static Optional<String> id() {
        return inRequest() ? ContextLocals.get(KEY) : Optional.empty();
    }

    /** A request runs on a duplicated context, whose locals are its own. */
    private static boolean inRequest() {
        Context context = Vertx.currentContext();
        return context != null && VertxContext.isDuplicatedContext(context);
    }
}
