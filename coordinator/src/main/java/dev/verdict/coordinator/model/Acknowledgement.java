package dev.verdict.coordinator.model;

import java.time.Instant;

/**
 * An operator's acknowledgement of a heuristic outcome, after reconciling the participants by hand:
 * the transaction leaves the in-doubt lists and its row is kept.
 *
 * @param by the credential's id, as in the audit log
 * @param reason what the operator did to reconcile it
 */
public record Acknowledgement(Instant at, String by, String reason) {}
