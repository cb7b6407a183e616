package dev.verdict.coordinator.core;

import java.util.Map;

/**
 * One thing that happened to a transaction, for its history: a kind, the participant concerned, and
 * what changed, in the order a reader wants it (from, to, then the rest).
 */
public record Change(HistoryKind kind, String participant, Map<String, Object> detail) {}
