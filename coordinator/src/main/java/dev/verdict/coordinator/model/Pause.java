package dev.verdict.coordinator.model;

import java.time.Instant;

/** Deliveries to a participant held back by an operator, since when, by whom and why. */
public record Pause(Instant at, String by, String reason) {}
