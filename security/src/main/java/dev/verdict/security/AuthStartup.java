package dev.verdict.security;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Opens the key file (creating the first admin key), and refuses to serve the world unauthenticated. */
@ApplicationScoped
public class AuthStartup {

    private static final Logger LOG = Logger.getLogger(AuthStartup.class);

    @Inject
    AuthConfig config;

    @Inject
    ApiKeyStore keys;

    @ConfigProperty(name = "quarkus.http.host")
    String host;

    @ConfigProperty(name = "mp.jwt.verify.publickey.location")
    Optional<String> jwtKeyLocation;

    @ConfigProperty(name = "mp.jwt.verify.publickey")
    Optional<String> jwtKey;

    @ConfigProperty(name = "mp.jwt.verify.issuer")
    Optional<String> jwtIssuer;

    void onStart(@Observes StartupEvent event) {
        if (!config.enabled()) {
            if (!isLoopback(host)) {
                throw new IllegalStateException("verdict.auth.enabled=false is allowed only on a loopback address,"
                        + " and quarkus.http.host is " + host + ": anyone who can reach it could commit, roll back"
                        + " and re-point participants. Turn authentication on (docs/security.md), or listen on 127.0.0.1.");
            }
            LOG.warn("AUTHENTICATION IS OFF (verdict.auth.enabled=false): every caller that reaches " + host
                    + " may do anything, including re-pointing participants. Never run it so outside a development machine.");
            return;
        }
        if ((jwtKeyLocation.isPresent() || jwtKey.isPresent()) && jwtIssuer.isEmpty()) {
            throw new IllegalStateException("JWTs are enabled (mp.jwt.verify.publickey*) without mp.jwt.verify.issuer:"
                    + " any token signed by that key, for any application, would be accepted. Set the issuer, and"
                    + " preferably mp.jwt.verify.audiences (docs/security.md).");
        }
        keys.open();
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
