package dev.verdict.coordinator.model;

/**
 * What a history entry records (docs/operator-api.md, "GET /transactions/{id}/history"). The
 * event stream's {@code kind} filter accepts exactly these names.
 */
public enum HistoryKind {
    BEGUN,
    ENLISTED,
    STATE_CHANGED,
    BRANCH_CHANGED,
    DELIVERY_FAILED,
    DELIVERY_DEFERRED,
    TAKEN_OVER,
    OPERATOR_ACTION,
    PARTICIPANT_PAUSED,
    PARTICIPANT_RESUMED
}
