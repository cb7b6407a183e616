package dev.verdict.coordinator.api;

import dev.verdict.coordinator.service.Caller;
import dev.verdict.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;

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

    /** The service's view of the caller: an operator (or admin) may use any transaction, a client its own. */
    static Caller of(SecurityIdentity caller) {
        return new Caller(caller.getPrincipal().getName(), isOperator(caller));
    }
}
