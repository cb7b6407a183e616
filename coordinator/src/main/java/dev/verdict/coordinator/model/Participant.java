package dev.verdict.coordinator.model;

import java.time.Instant;

/** A registered participant service: the coordinator calls back only these URLs. */
public record Participant(String name, Callback callback, Instant registeredAt, Instant updatedAt) {}
