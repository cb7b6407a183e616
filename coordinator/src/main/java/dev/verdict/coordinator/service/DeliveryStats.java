package dev.verdict.coordinator.service;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When this node last reached each participant, and when and how it last failed to: what an
 * operator asks first about a participant that holds transactions up. In memory, per node. Updated
 * on every reply, so an update writes fields of an object made once per participant and allocates
 * nothing; a reader may see a failure's time and an older error together, which is harmless here.
 */
public final class DeliveryStats {

    /** @param lastError the error of the last failure, null if none */
    public record Last(Instant lastSuccessAt, Instant lastFailureAt, String lastError) {}

    private static final class Tracked {
        volatile long lastSuccessMillis;
        volatile long lastFailureMillis;
        volatile String lastError;
    }

    private final Map<String, Tracked> byParticipant = new ConcurrentHashMap<>();
    private final Clock clock;

    DeliveryStats(Clock clock) {
        this.clock = clock;
    }

    void succeeded(String participant) {
        tracked(participant).lastSuccessMillis = clock.millis();
    }

    void failed(String participant, String error) {
        Tracked t = tracked(participant);
        t.lastError = error;
        t.lastFailureMillis = clock.millis();
    }

    public Last of(String participant) {
        Tracked t = byParticipant.get(participant);
        return t == null ? new Last(null, null, null)
                : new Last(instant(t.lastSuccessMillis), instant(t.lastFailureMillis), t.lastError);
    }

    private Tracked tracked(String participant) {
        Tracked t = byParticipant.get(participant); // the common case takes no lock
        return t != null ? t : byParticipant.computeIfAbsent(participant, p -> new Tracked());
    }

    private static Instant instant(long millis) {
        return millis == 0 ? null : Instant.ofEpochMilli(millis);
    }
}
