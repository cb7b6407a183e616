package dev.verdict.coordinator.service;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When this node last reached each participant, and when and how it last failed to: what an
 * operator asks first about a participant that holds transactions up. In memory, per node; the
 * participants view merges the nodes' answers.
 */
public final class DeliveryStats {

    /** @param lastError the error of the last failure, null if none */
    public record Last(Instant lastSuccessAt, Instant lastFailureAt, String lastError) {}

    private static final Last NONE = new Last(null, null, null);

    private final Map<String, Last> byParticipant = new ConcurrentHashMap<>();
    private final Clock clock;

    DeliveryStats(Clock clock) {
        this.clock = clock;
    }

    void succeeded(String participant) {
        Instant now = clock.instant();
        byParticipant.compute(participant, (p, last) -> new Last(now, last == null ? null : last.lastFailureAt(),
                last == null ? null : last.lastError()));
    }

    void failed(String participant, String error) {
        Instant now = clock.instant();
        byParticipant.compute(participant, (p, last) -> new Last(last == null ? null : last.lastSuccessAt(), now, error));
    }

    public Last of(String participant) {
        return byParticipant.getOrDefault(participant, NONE);
    }
}
