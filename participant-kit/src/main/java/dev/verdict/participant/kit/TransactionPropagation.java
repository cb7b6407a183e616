package dev.verdict.participant.kit;

import dev.verdict.protocol.Headers;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.Method;

/**
 * Adds the current transaction's header to every REST-client call a service makes while it works
 * in one, so the service it calls can join with {@code @JoinTransaction}; no code in the caller.
 * Calls to the coordinator itself, and calls that set the header already, are left as they are.
 */
@Provider
public class TransactionPropagation implements ClientRequestFilter {

    private static final String INVOKED_METHOD = "org.eclipse.microprofile.rest.client.invokedMethod";

    @Override
    public void filter(ClientRequestContext request) {
        if (request.getHeaders().containsKey(Headers.TRANSACTION) || isToTheCoordinator(request)) {
            return;
        }
        CurrentTransaction.id().ifPresent(id -> request.getHeaders().putSingle(Headers.TRANSACTION, id));
    }

    private static boolean isToTheCoordinator(ClientRequestContext request) {
        return request.getProperty(INVOKED_METHOD) instanceof Method m && m.getDeclaringClass() == CoordinatorApi.class;
    }
}
