package dev.verdict.coordinator.api;

import dev.verdict.coordinator.service.Caller;
import dev.verdict.protocol.Hashes;
import dev.verdict.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * What a role alone cannot say: a participant credential acts for its own participant name only
 * (an admin for any). Roles themselves are checked by {@code @RolesAllowed} before a resource runs.
 */
final class Callers {

    private Callers() {}

    /** Throws 403 unless {@code caller} may act as participant {@code name}; a missing name is the service's 400. */
    static void requireSelf(SecurityIdentity caller, String name) {
        if (name == null || caller.hasRole(Roles.ADMIN)) {
            return;
        }
        String own = caller.getAttribute(Roles.PARTICIPANT_NAME);
        if (!name.equals(own)) {
            throw new ProblemException(403, "not-this-participant", "Not this participant",
                    "This credential (" + caller.getPrincipal().getName() + ") speaks for "
                            + (own == null ? "no participant" : "participant '" + own + "'")
                            + ", so it cannot act as '" + name + "'. Use that participant's own credential, or an admin's.")
                    .with("participant", name);
        }
    }

    static boolean isOperator(SecurityIdentity caller) {
        return caller.hasRole(Roles.OPERATOR);
    }

    /**
     * The service's view of the caller: an operator reads any transaction, an admin also commands
     * any, a client uses its own. Its id says which mechanism vouched for it, so an identity
     * provider's user can never take the name of an API key (or the reverse), and a JWT is known
     * by its issuer and subject, which its user cannot edit, hashed to a bounded length.
     */
    static Caller of(SecurityIdentity caller) {
        String id = caller.getPrincipal() instanceof JsonWebToken jwt
                ? "jwt:" + Hashes.sha256Hex(jwt.getIssuer() + "|" + (jwt.getSubject() != null ? jwt.getSubject() : jwt.getName()))
                : "key:" + caller.getPrincipal().getName();
        return new Caller(id, caller.hasRole(Roles.OPERATOR), caller.hasRole(Roles.ADMIN));
    }

}
