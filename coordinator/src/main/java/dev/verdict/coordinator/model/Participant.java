package dev.verdict.coordinator.model;

import java.time.Instant;

/**
 * A registered participant service: the coordinator calls back only these URLs.
 *
 * @param paused set while an operator holds deliveries to it back; null otherwise
 */
public record Participant(String name, Callback callback, Instant registeredAt, Instant updatedAt, Pause paused) {

    public Participant(String name, Callback callback, Instant registeredAt, Instant updatedAt) {
        this(name, callback, registeredAt, updatedAt, null);
    }
}
