package dev.verdict.coordinator.model;

import java.net.URI;
import java.time.Instant;

/** A registered participant service: the coordinator calls back only these URLs. */
public record Participant(String name, URI callbackUrl, Instant registeredAt, Instant updatedAt) {}
