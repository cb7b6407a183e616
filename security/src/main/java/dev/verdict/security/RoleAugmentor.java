package dev.verdict.security;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * What every credential means, whichever way it was presented: an admin holds every role, and a
 * JWT's participant claim becomes the same attribute an API key's participant name does.
 */
@ApplicationScoped
public class RoleAugmentor implements SecurityIdentityAugmentor {

    @Inject
    AuthConfig config;

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous()) {
            return Uni.createFrom().item(identity);
        }
        boolean admin = identity.hasRole(Roles.ADMIN) && !identity.getRoles().containsAll(Roles.ALL);
        Object claim = identity.getPrincipal() instanceof JsonWebToken jwt
                && identity.getAttribute(Roles.PARTICIPANT_NAME) == null
                ? jwt.getClaim(config.jwt().participantClaim()) : null;
        String claimed = claim instanceof String name ? name : null; // any other JSON type names nobody
        if (!admin && claimed == null) {
            return Uni.createFrom().item(identity);
        }
        var builder = QuarkusSecurityIdentity.builder(identity);
        if (admin) {
            builder.addRoles(Roles.ALL);
        }
        if (claimed != null) {
            builder.addAttribute(Roles.PARTICIPANT_NAME, claimed);
        }
        return Uni.createFrom().item(builder.build());
    }
}
