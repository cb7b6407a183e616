package dev.verdict.coordinator.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a step changed, as history entries for people: each branch that joined, moved, failed a
 * delivery or was held back, then the transaction's own move. Pure, like {@link Protocol}: the
 * driver records whatever this returns for each step it installs, so history follows the protocol
 * without the protocol knowing about it.
 */
public final class Changes {

    private Changes() {}

    public static List<Change> between(Transaction before, Transaction after) {
        List<Change> changes = new ArrayList<>(2);
        for (Branch b : after.branches()) {
            Branch was = branch(before, b.participant());
            if (was == null) {
                changes.add(new Change(HistoryKind.ENLISTED, b.participant(), Map.of()));
            } else if (was.state() != b.state()) {
                changes.add(new Change(HistoryKind.BRANCH_CHANGED, b.participant(),
                        ordered("from", was.state().name(), "to", b.state().name())));
            } else if (b.attempts() > was.attempts()) {
                changes.add(new Change(HistoryKind.DELIVERY_FAILED, b.participant(), ordered("message", message(before),
                        "attempt", b.attempts(), "error", String.valueOf(b.lastError()))));
            } else if (b.lastError() != null && !b.lastError().equals(was.lastError())) {
                changes.add(new Change(HistoryKind.DELIVERY_DEFERRED, b.participant(),
                        ordered("message", message(before), "reason", b.lastError())));
            }
        }
        if (before.state() != after.state()) {
            Map<String, Object> detail = ordered("from", before.state().name(), "to", after.state().name());
            if (after.decision() != null) {
                detail.put("outcome", after.decision().name());
            }
            if (after.reason() != null && !after.reason().equals(before.reason())) {
                detail.put("reason", after.reason());
            }
            changes.add(new Change(HistoryKind.STATE_CHANGED, null, detail));
        }
        return changes;
    }

    /** Keys and values, alternating; kept in that order. */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>(keysAndValues.length);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /** The message a delivery in this state carries. */
    static String message(Transaction tx) {
        switch (tx.state()) {
            case PREPARING:
                return tx.isOnePhase() ? "ONE_PHASE_COMMIT" : "PREPARE";
            case COMMITTING:
                return "COMMIT";
            default:
                return "ROLLBACK";
        }
    }

    private static Branch branch(Transaction tx, String participant) {
        for (Branch b : tx.branches()) {
            if (b.participant().equals(participant)) {
                return b;
            }
        }
        return null;
    }
}
