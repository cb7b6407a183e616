package dev.verdict.coordinator.model;

import java.time.Instant;
import java.util.Map;

/**
 * One operator action, as the append-only audit log keeps it.
 *
 * @param id 0 until stored
 * @param actor who acted: {@code key:<name>} for an API key, {@code jwt:<subject>} for a token
 * @param action RETRY, ROLLBACK, RESOLVE_BRANCH, RECORD_OUTCOME, ACKNOWLEDGE, PAUSE, RESUME, RETRY_PARTICIPANT
 */
public record AuditEntry(long id, Instant at, String node, String actor, String action, String transactionId,
                         String participant, String reason, Map<String, Object> detail) {

    public AuditEntry withId(long stored) {
        return new AuditEntry(stored, at, node, actor, action, transactionId, participant, reason, detail);
    }
}
