package dev.verdict.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/** {@code verdict.auth.*}: who may call a Verdict service. docs/security.md and docs/configuration.md describe each key. */
@ConfigMapping(prefix = "verdict.auth")
public interface AuthConfig {

    /**
     * Whether callers must present a credential. Off, every caller may do anything: allowed only on a
     * loopback address, and warned about at every start.
     */
    @WithDefault("true")
    boolean enabled();

    /**
     * The key file (hashes of API keys, see {@link ApiKeyFile}). When it does not exist at start-up,
     * it is created with one new admin key, written owner-only beside it as {@code admin.key}. Empty:
     * no API keys (JWTs only).
     */
    Optional<Path> apiKeyFile();

    Jwt jwt();

    interface Jwt {
        /** The JWT claim naming the participant a token speaks for (roles come from {@code groups}). */
        @WithDefault("verdict_participant")
        String participantClaim();
    }
}
