package dev.verdict.coordinator.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Problem documents for what fails outside the resources, in the router itself: a request without
 * a Host header, a request target that is not a path ({@code OPTIONS *}), a failure in a Vert.x
 * handler. The framework would answer these with an empty body, or with its own error page that
 * names exception classes. (What the HTTP server refuses before any router sees it cannot be
 * reached from here; docs/security.md lists it.)
 */
public class RouterFailures {

    private static final int[] ROUTER_STATUSES = {400, 404, 405, 413, 414, 415, 431, 500};

    @Inject
    ObjectMapper json;

    void register(@Observes Router router) {
        // After dev.verdict.security.Unauthenticated (Integer.MIN_VALUE), which answers rejected credentials.
        router.route().order(Integer.MIN_VALUE + 1).failureHandler(rc -> {
            if (isSecurity(rc.failure())) {
                rc.next(); // Quarkus security answers these (401 challenge, 403)
            } else {
                answer(rc);
            }
        });
        for (int status : ROUTER_STATUSES) {
            router.errorHandler(status, this::answer); // failures before any route matched
        }
    }

    private void answer(RoutingContext rc) {
        if (rc.response().ended()) {
            return;
        }
        if (rc.response().headWritten()) {
            rc.response().close(); // a partial answer cannot be turned into a problem; cut it short
            return;
        }
        Throwable failure = rc.failure();
        int status = rc.statusCode() >= 400 ? rc.statusCode() : failure instanceof HttpException h ? h.getStatusCode() : 500;
        Problems.send(rc, json, status >= 500 ? Problems.internal(failure) : Problems.framework(status));
    }

    private static boolean isSecurity(Throwable failure) {
        return failure != null && failure.getClass().getName().startsWith("io.quarkus.security.");
    }
}
