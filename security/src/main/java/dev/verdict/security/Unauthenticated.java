package dev.verdict.security;

import io.quarkus.security.AuthenticationFailedException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * One answer for every request without a valid credential, whichever mechanism refused it: 401
 * with a problem document, like every other error. It says nothing about why a credential failed
 * (unknown, revoked, expired, forged): that would help only someone guessing.
 */
@ApplicationScoped
public class Unauthenticated {

    private static final String BODY = """
            {"type":"https://verdict.dev/problems/unauthenticated","title":"Unauthenticated","status":401,\
            "detail":"This request needs a valid credential: send 'Authorization: Bearer <API key or JWT>'. Unknown\
             or revoked keys, and tokens that are expired, malformed or not signed by the configured issuer, are all\
             refused alike. docs/security.md says how to get one."}""";

    static void answer(RoutingContext rc) {
        if (!rc.response().ended()) {
            rc.response().setStatusCode(401).putHeader("WWW-Authenticate", "Bearer")
                    .putHeader("Content-Type", "application/problem+json").end(BODY);
        }
    }

    /** A credential a mechanism rejected (a JWT that failed verification) fails the route; it ends here. */
    void failures(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(rc -> {
            if (rc.failure() instanceof AuthenticationFailedException) {
                answer(rc);
            } else {
                rc.next();
            }
        });
    }
}
