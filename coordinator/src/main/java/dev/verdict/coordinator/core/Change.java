package dev.verdict.coordinator.core;

import java.util.Map;

/** One thing that happened to a transaction, for its history: a kind, the participant concerned, and what changed. */
public record Change(HistoryKind kind, String participant, Map<String, Object> detail) {

    public Change {
        detail = Map.copyOf(detail);
    }
}
