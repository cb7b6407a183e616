package dev.verdict.coordinator.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** History entries follow the protocol's steps: each branch change, then the transaction's. */
class ChangesTest {

    private static Transaction at(String state) {
        return ProtocolFixtures.situations().get(state);
    }

    private static List<String> kinds(List<Change> changes) {
        return changes.stream().map(c -> c.kind() + (c.participant() == null ? "" : ":" + c.participant())).toList();
    }

    @Test
    void votesThenTheDecision() {
        Step step = Protocol.apply(at("PREPARING/2"), ProtocolFixtures.events().get("votes-prepared"));
        List<Change> changes = Changes.between(at("PREPARING/2"), step.next());
        assertEquals(List.of("BRANCH_CHANGED:a", "BRANCH_CHANGED:b", "STATE_CHANGED"), kinds(changes));
        assertEquals(Map.of("from", "ENLISTED", "to", "PREPARED"), changes.get(0).detail());
        assertEquals(Map.of("from", "PREPARING", "to", "COMMITTING", "outcome", "COMMITTED"), changes.get(2).detail());
    }

    @Test
    void aFailedDeliveryNamesItsMessageAttemptAndError() {
        Step step = Protocol.apply(at("COMMITTING"), ProtocolFixtures.events().get("phase2-failed"));
        List<Change> changes = Changes.between(at("COMMITTING"), step.next());
        assertEquals(List.of("DELIVERY_FAILED:b"), kinds(changes));
        assertEquals(Map.of("message", "COMMIT", "attempt", 1, "error", "HTTP 500"), changes.get(0).detail());
    }

    @Test
    void aHeldDeliveryIsRecordedOnceNotAtEveryLook() {
        Event held = ProtocolFixtures.events().get("phase2-held");
        Transaction first = Protocol.apply(at("COMMITTING"), held).next();
        assertEquals(List.of("DELIVERY_DEFERRED:b"), kinds(Changes.between(at("COMMITTING"), first)));
        Transaction second = Protocol.apply(first, held).next();
        assertEquals(List.of(), Changes.between(first, second));
    }

    @Test
    void aRollbackCarriesItsReasonAndEnlistmentsAreNamed() {
        Transaction rolledBack = Protocol.apply(at("ACTIVE/1"), new Event.OperatorRollback("stuck since Monday")).next();
        List<Change> changes = Changes.between(at("ACTIVE/1"), rolledBack);
        assertEquals(Map.of("from", "ACTIVE", "to", "ROLLING_BACK", "outcome", "ROLLED_BACK",
                "reason", "rolled back by an operator: stuck since Monday"), changes.get(0).detail());
        Transaction enlisted = Protocol.apply(at("ACTIVE/1"), new Event.Enlist("c")).next();
        assertEquals(List.of("ENLISTED:c"), kinds(Changes.between(at("ACTIVE/1"), enlisted)));
    }
}
