package dev.verdict.coordinator.core;

/** What one history entry records; docs/operator-api.md describes each kind's detail. */
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
