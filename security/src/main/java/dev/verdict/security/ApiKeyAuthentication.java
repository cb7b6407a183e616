package dev.verdict.security;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;

/**
 * Reads {@code Authorization: Bearer vdk_…} and asks {@link ApiKeyIdentityProvider} who it is.
 * Any other bearer token is left to the JWT mechanism of smallrye-jwt, which runs after this one.
 * With authentication off, every request is an anonymous caller holding every role.
 */
@ApplicationScoped
public class ApiKeyAuthentication implements HttpAuthenticationMechanism {

    private static final String SCHEME = "Bearer ";
    private static final SecurityIdentity ANYONE = QuarkusSecurityIdentity.builder()
            .setPrincipal(new QuarkusPrincipal("anonymous (authentication off)"))
            .addRoles(Roles.ALL).build();

    @Inject
    AuthConfig config;

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext rc, IdentityProviderManager identities) {
        if (!config.enabled()) {
            return Uni.createFrom().item(ANYONE);
        }
        String header = rc.request().getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
                || !header.startsWith(ApiKeys.PREFIX, SCHEME.length())) {
            return Uni.createFrom().nullItem();
        }
        ApiKeyRequest request = new ApiKeyRequest(header.substring(SCHEME.length()).strip());
        return identities.authenticate(HttpSecurityUtils.setRoutingContextAttribute(request, rc));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext rc) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
    }

    /** The answer to a missing, unknown or invalid credential: problem+json, like every other error. */
    @Override
    public Uni<Boolean> sendChallenge(RoutingContext rc) {
        Unauthenticated.answer(rc);
        return Uni.createFrom().item(true);
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(ApiKeyRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext rc) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION, "bearer"));
    }

    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 100; // before smallrye-jwt, which would reject an API key as a malformed JWT
    }
}
