package dev.verdict.security;

import dev.verdict.protocol.Hashes;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * API keys: 256 random bits behind a recognisable prefix (so secret scanners and our own code tell
 * them from JWTs), stored only as their SHA-256. A fast hash is enough here, unlike for passwords:
 * nobody can guess 256 random bits, so there is nothing for a slow hash to slow down, and every
 * request pays for one.
 */
public final class ApiKeys {

    public static final String PREFIX = "vdk_";
    public static final String HASH_PREFIX = "sha256:";

    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {}

    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** {@code sha256:} and the lowercase hex SHA-256 of the key's UTF-8 bytes: {@code printf %s "$KEY" | sha256sum}. */
    public static String hash(String key) {
        return HASH_PREFIX + Hashes.sha256Hex(key);
    }
}
