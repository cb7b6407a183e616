package dev.verdict.coordinator.model;

import java.net.URI;

/**
 * Where and how to call a participant back: its URL, and the secret every call is signed with
 * (docs/protocol.md, "Signed callbacks"); null for a registration from before signatures, whose
 * calls go unsigned until it registers again.
 */
public record Callback(URI url, String secret) {

    /** Never the secret: records print every field, and these end up in logs. */
    @Override
    public String toString() {
        return url + (secret == null ? " (unsigned)" : " (signed)");
    }
}
