package dev.verdict.participant.kit;

import dev.verdict.protocol.Headers;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

/**
 * {@link JoinTransaction}'s behaviour. It runs outside any {@code @Transactional} of the method
 * (lower priority number, so further out): the enlistment is a call to the coordinator and must
 * not hold a local transaction open, and the method's own transaction then joins the kit's.
 */
@JoinTransaction
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE + 100)
public class JoinInterceptor {

    @Inject
    Verdict verdict;

    @Inject
    CurrentVertxRequest request;

    @AroundInvoke
    Object join(InvocationContext invocation) throws Exception {
        JoinTransaction binding = invocation.getInterceptorBinding(JoinTransaction.class);
        String txId = request.getCurrent() == null ? null : request.getCurrent().request().getHeader(Headers.TRANSACTION);
        return verdict.join(binding == null ? "" : binding.value(), txId, invocation::proceed);
    }
}
