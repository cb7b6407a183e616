package dev.verdict.security;

import java.util.Optional;
import java.util.Set;

/**
 * One API key as the key file lists it: never the key itself, only its hash.
 *
 * @param name who holds it (shown as the caller's name in logs and, later, the audit trail)
 * @param hash {@link ApiKeys#hash} of the key
 * @param roles what it may do ({@link Roles})
 * @param participant the participant name it may register and enlist as, if any
 */
public record ApiKey(String name, String hash, Set<String> roles, Optional<String> participant) {}
