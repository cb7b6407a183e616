package dev.verdict.coordinator.model;

import java.time.Instant;
import java.util.Map;

/**
 * One recorded change of a transaction (or of a participant, with no transaction id).
 *
 * @param id the entry's place in the cluster-wide history, also its event id; 0 until stored
 * @param node the name of the coordinator node that recorded it
 */
public record HistoryEntry(long id, String transactionId, Instant at, String node, String kind, String participant,
                           Map<String, Object> detail) {}
