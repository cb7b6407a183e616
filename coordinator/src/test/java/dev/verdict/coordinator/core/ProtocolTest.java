package dev.verdict.coordinator.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.verdict.protocol.Outcome;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The protocol's transition table, exhaustively: every situation meets every event, and each
 * result must match the row written here. The table is the specification (docs/protocol.md
 * describes the same rules); invariant checks then run over every cell.
 */
class ProtocolTest {

    /** situation | event | expected step, rendered by {@link ProtocolFixtures#render}. */
    private static final String TABLE = """
            ACTIVE/0      | enlist-new             | ACTIVE none {c=ENLISTED}
            ACTIVE/0      | enlist-again           | ACTIVE none {a=ENLISTED}
            ACTIVE/0      | commit                 | COMMITTED forced {}
            ACTIVE/0      | rollback               | ROLLED_BACK none {}
            ACTIVE/0      | expired                | ROLLED_BACK none {}
            ACTIVE/0      | recovered              | ROLLED_BACK none {}
            ACTIVE/0      | retry-due              | unchanged
            ACTIVE/0      | fenced                 | ROLLED_BACK none {}
            ACTIVE/0      | votes-prepared         | unchanged
            ACTIVE/0      | votes-one-read-only    | unchanged
            ACTIVE/0      | votes-all-read-only    | unchanged
            ACTIVE/0      | votes-one-abort        | unchanged
            ACTIVE/0      | votes-one-failed       | unchanged
            ACTIVE/0      | one-phase-committed    | unchanged
            ACTIVE/0      | one-phase-rolled-back  | unchanged
            ACTIVE/0      | one-phase-failed       | unchanged
            ACTIVE/0      | one-phase-mixed        | unchanged
            ACTIVE/0      | phase2-committed       | unchanged
            ACTIVE/0      | phase2-rolled-back     | unchanged
            ACTIVE/0      | phase2-failed          | unchanged
            ACTIVE/1      | enlist-new             | ACTIVE none {a=ENLISTED,c=ENLISTED}
            ACTIVE/1      | enlist-again           | unchanged
            ACTIVE/1      | commit                 | PREPARING none SendOnePhase[a] {a=ENLISTED}
            ACTIVE/1      | rollback               | ROLLING_BACK none SendRollback[a] {a=ENLISTED}
            ACTIVE/1      | expired                | ROLLING_BACK none SendRollback[a] {a=ENLISTED}
            ACTIVE/1      | recovered              | ROLLING_BACK none SendRollback[a] {a=ENLISTED}
            ACTIVE/1      | retry-due              | unchanged
            ACTIVE/1      | fenced                 | ROLLING_BACK none SendRollback[a] {a=ENLISTED}
            ACTIVE/1      | votes-prepared         | unchanged
            ACTIVE/1      | votes-one-read-only    | unchanged
            ACTIVE/1      | votes-all-read-only    | unchanged
            ACTIVE/1      | votes-one-abort        | unchanged
            ACTIVE/1      | votes-one-failed       | unchanged
            ACTIVE/1      | one-phase-committed    | unchanged
            ACTIVE/1      | one-phase-rolled-back  | unchanged
            ACTIVE/1      | one-phase-failed       | unchanged
            ACTIVE/1      | one-phase-mixed        | unchanged
            ACTIVE/1      | phase2-committed       | unchanged
            ACTIVE/1      | phase2-rolled-back     | unchanged
            ACTIVE/1      | phase2-failed          | unchanged
            ACTIVE/2      | enlist-new             | ACTIVE none {a=ENLISTED,b=ENLISTED,c=ENLISTED}
            ACTIVE/2      | enlist-again           | unchanged
            ACTIVE/2      | commit                 | PREPARING none SendPrepare[a, b] {a=ENLISTED,b=ENLISTED}
            ACTIVE/2      | rollback               | ROLLING_BACK none SendRollback[a, b] {a=ENLISTED,b=ENLISTED}
            ACTIVE/2      | expired                | ROLLING_BACK none SendRollback[a, b] {a=ENLISTED,b=ENLISTED}
            ACTIVE/2      | recovered              | ROLLING_BACK none SendRollback[a, b] {a=ENLISTED,b=ENLISTED}
            ACTIVE/2      | retry-due              | unchanged
            ACTIVE/2      | fenced                 | ROLLING_BACK none SendRollback[a, b] {a=ENLISTED,b=ENLISTED}
            ACTIVE/2      | votes-prepared         | unchanged
            ACTIVE/2      | votes-one-read-only    | unchanged
            ACTIVE/2      | votes-all-read-only    | unchanged
            ACTIVE/2      | votes-one-abort        | unchanged
            ACTIVE/2      | votes-one-failed       | unchanged
            ACTIVE/2      | one-phase-committed    | unchanged
            ACTIVE/2      | one-phase-rolled-back  | unchanged
            ACTIVE/2      | one-phase-failed       | unchanged
            ACTIVE/2      | one-phase-mixed        | unchanged
            ACTIVE/2      | phase2-committed       | unchanged
            ACTIVE/2      | phase2-rolled-back     | unchanged
            ACTIVE/2      | phase2-failed          | unchanged
            PREPARING/1   | enlist-new             | reject NOT_ACTIVE
            PREPARING/1   | enlist-again           | reject NOT_ACTIVE
            PREPARING/1   | commit                 | unchanged
            PREPARING/1   | rollback               | unchanged
            PREPARING/1   | expired                | PREPARING none SendOnePhase[a] {a=ENLISTED}
            PREPARING/1   | recovered              | PREPARING none SendOnePhase[a] {a=ENLISTED}
            PREPARING/1   | retry-due              | PREPARING none SendOnePhase[a] {a=ENLISTED}
            PREPARING/1   | fenced                 | unchanged
            PREPARING/1   | votes-prepared         | unchanged
            PREPARING/1   | votes-one-read-only    | unchanged
            PREPARING/1   | votes-all-read-only    | unchanged
            PREPARING/1   | votes-one-abort        | unchanged
            PREPARING/1   | votes-one-failed       | unchanged
            PREPARING/1   | one-phase-committed    | COMMITTED none {a=COMMITTED}
            PREPARING/1   | one-phase-rolled-back  | ROLLED_BACK none {a=ROLLED_BACK}
            PREPARING/1   | one-phase-failed       | PREPARING none RetryLater(1) {a=ENLISTED#1}
            PREPARING/1   | one-phase-mixed        | HEURISTIC forced {a=HEURISTIC_MIXED}
            PREPARING/1   | phase2-committed       | unchanged
            PREPARING/1   | phase2-rolled-back     | unchanged
            PREPARING/1   | phase2-failed          | unchanged
            PREPARING/2   | enlist-new             | reject NOT_ACTIVE
            PREPARING/2   | enlist-again           | reject NOT_ACTIVE
            PREPARING/2   | commit                 | unchanged
            PREPARING/2   | rollback               | ROLLING_BACK none SendRollback[a, b] {a=ENLISTED,b=ENLISTED}
            PREPARING/2   | expired                | ROLLING_BACK none SendRollback[a, b] {a=ENLISTED,b=ENLISTED}
            PREPARING/2   | recovered              | ROLLING_BACK none SendRollback[a, b] {a=ENLISTED,b=ENLISTED}
            PREPARING/2   | retry-due              | unchanged
            PREPARING/2   | fenced                 | ROLLING_BACK none SendRollback[a, b] {a=ENLISTED,b=ENLISTED}
            PREPARING/2   | votes-prepared         | COMMITTING forced SendCommit[a, b] {a=PREPARED,b=PREPARED}
            PREPARING/2   | votes-one-read-only    | COMMITTING forced SendCommit[b] {a=READ_ONLY,b=PREPARED}
            PREPARING/2   | votes-all-read-only    | COMMITTED forced {a=READ_ONLY,b=READ_ONLY}
            PREPARING/2   | votes-one-abort        | ROLLING_BACK none SendRollback[a] {a=PREPARED,b=ABORTED}
            PREPARING/2   | votes-one-failed       | ROLLING_BACK none SendRollback[a, b] {a=PREPARED,b=ENLISTED#1}
            PREPARING/2   | one-phase-committed    | unchanged
            PREPARING/2   | one-phase-rolled-back  | unchanged
            PREPARING/2   | one-phase-failed       | unchanged
            PREPARING/2   | one-phase-mixed        | unchanged
            PREPARING/2   | phase2-committed       | unchanged
            PREPARING/2   | phase2-rolled-back     | unchanged
            PREPARING/2   | phase2-failed          | unchanged
            COMMITTING    | enlist-new             | reject NOT_ACTIVE
            COMMITTING    | enlist-again           | reject NOT_ACTIVE
            COMMITTING    | commit                 | unchanged
            COMMITTING    | rollback               | reject ALREADY_COMMITTED
            COMMITTING    | expired                | unchanged
            COMMITTING    | recovered              | COMMITTING none SendCommit[b] {a=COMMITTED,b=PREPARED}
            COMMITTING    | retry-due              | COMMITTING none SendCommit[b] {a=COMMITTED,b=PREPARED}
            COMMITTING    | fenced                 | unchanged
            COMMITTING    | votes-prepared         | unchanged
            COMMITTING    | votes-one-read-only    | unchanged
            COMMITTING    | votes-all-read-only    | unchanged
            COMMITTING    | votes-one-abort        | unchanged
            COMMITTING    | votes-one-failed       | unchanged
            COMMITTING    | one-phase-committed    | unchanged
            COMMITTING    | one-phase-rolled-back  | unchanged
            COMMITTING    | one-phase-failed       | unchanged
            COMMITTING    | one-phase-mixed        | unchanged
            COMMITTING    | phase2-committed       | COMMITTED lazy {a=COMMITTED,b=COMMITTED}
            COMMITTING    | phase2-rolled-back     | HEURISTIC lazy {a=COMMITTED,b=HEURISTIC_ROLLBACK}
            COMMITTING    | phase2-failed          | COMMITTING none RetryLater(1) {a=COMMITTED,b=PREPARED#1}
            ROLLING_BACK  | enlist-new             | reject NOT_ACTIVE
            ROLLING_BACK  | enlist-again           | reject NOT_ACTIVE
            ROLLING_BACK  | commit                 | reject ALREADY_ROLLED_BACK
            ROLLING_BACK  | rollback               | unchanged
            ROLLING_BACK  | expired                | unchanged
            ROLLING_BACK  | recovered              | ROLLING_BACK none SendRollback[b] {a=READ_ONLY,b=PREPARED}
            ROLLING_BACK  | retry-due              | ROLLING_BACK none SendRollback[b] {a=READ_ONLY,b=PREPARED}
            ROLLING_BACK  | fenced                 | unchanged
            ROLLING_BACK  | votes-prepared         | unchanged
            ROLLING_BACK  | votes-one-read-only    | unchanged
            ROLLING_BACK  | votes-all-read-only    | unchanged
            ROLLING_BACK  | votes-one-abort        | unchanged
            ROLLING_BACK  | votes-one-failed       | unchanged
            ROLLING_BACK  | one-phase-committed    | unchanged
            ROLLING_BACK  | one-phase-rolled-back  | unchanged
            ROLLING_BACK  | one-phase-failed       | unchanged
            ROLLING_BACK  | one-phase-mixed        | unchanged
            ROLLING_BACK  | phase2-committed       | HEURISTIC forced {a=READ_ONLY,b=HEURISTIC_COMMIT}
            ROLLING_BACK  | phase2-rolled-back     | ROLLED_BACK none {a=READ_ONLY,b=ROLLED_BACK}
            ROLLING_BACK  | phase2-failed          | ROLLING_BACK none RetryLater(1) {a=READ_ONLY,b=PREPARED#1}
            COMMITTED     | enlist-new             | reject NOT_ACTIVE
            COMMITTED     | enlist-again           | reject NOT_ACTIVE
            COMMITTED     | commit                 | unchanged
            COMMITTED     | rollback               | reject ALREADY_COMMITTED
            COMMITTED     | expired                | unchanged
            COMMITTED     | recovered              | unchanged
            COMMITTED     | retry-due              | unchanged
            COMMITTED     | fenced                 | unchanged
            COMMITTED     | votes-prepared         | unchanged
            COMMITTED     | votes-one-read-only    | unchanged
            COMMITTED     | votes-all-read-only    | unchanged
            COMMITTED     | votes-one-abort        | unchanged
            COMMITTED     | votes-one-failed       | unchanged
            COMMITTED     | one-phase-committed    | unchanged
            COMMITTED     | one-phase-rolled-back  | unchanged
            COMMITTED     | one-phase-failed       | unchanged
            COMMITTED     | one-phase-mixed        | unchanged
            COMMITTED     | phase2-committed       | unchanged
            COMMITTED     | phase2-rolled-back     | unchanged
            COMMITTED     | phase2-failed          | unchanged
            ROLLED_BACK   | enlist-new             | reject NOT_ACTIVE
            ROLLED_BACK   | enlist-again           | reject NOT_ACTIVE
            ROLLED_BACK   | commit                 | reject ALREADY_ROLLED_BACK
            ROLLED_BACK   | rollback               | unchanged
            ROLLED_BACK   | expired                | unchanged
            ROLLED_BACK   | recovered              | unchanged
            ROLLED_BACK   | retry-due              | unchanged
            ROLLED_BACK   | fenced                 | unchanged
            ROLLED_BACK   | votes-prepared         | unchanged
            ROLLED_BACK   | votes-one-read-only    | unchanged
            ROLLED_BACK   | votes-all-read-only    | unchanged
            ROLLED_BACK   | votes-one-abort        | unchanged
            ROLLED_BACK   | votes-one-failed       | unchanged
            ROLLED_BACK   | one-phase-committed    | unchanged
            ROLLED_BACK   | one-phase-rolled-back  | unchanged
            ROLLED_BACK   | one-phase-failed       | unchanged
            ROLLED_BACK   | one-phase-mixed        | unchanged
            ROLLED_BACK   | phase2-committed       | unchanged
            ROLLED_BACK   | phase2-rolled-back     | unchanged
            ROLLED_BACK   | phase2-failed          | unchanged
            HEURISTIC     | enlist-new             | reject NOT_ACTIVE
            HEURISTIC     | enlist-again           | reject NOT_ACTIVE
            HEURISTIC     | commit                 | unchanged
            HEURISTIC     | rollback               | reject ALREADY_COMMITTED
            HEURISTIC     | expired                | unchanged
            HEURISTIC     | recovered              | unchanged
            HEURISTIC     | retry-due              | unchanged
            HEURISTIC     | fenced                 | unchanged
            HEURISTIC     | votes-prepared         | unchanged
            HEURISTIC     | votes-one-read-only    | unchanged
            HEURISTIC     | votes-all-read-only    | unchanged
            HEURISTIC     | votes-one-abort        | unchanged
            HEURISTIC     | votes-one-failed       | unchanged
            HEURISTIC     | one-phase-committed    | unchanged
            HEURISTIC     | one-phase-rolled-back  | unchanged
            HEURISTIC     | one-phase-failed       | unchanged
            HEURISTIC     | one-phase-mixed        | unchanged
            HEURISTIC     | phase2-committed       | unchanged
            HEURISTIC     | phase2-rolled-back     | unchanged
            HEURISTIC     | phase2-failed          | unchanged
                        ACTIVE/0      | phase2-held            | unchanged
            ACTIVE/0      | one-phase-held         | unchanged
            ACTIVE/0      | operator-rollback      | ROLLED_BACK none {}
            ACTIVE/0      | resolve-a-committed    | reject UNDECIDED
            ACTIVE/0      | resolve-b-committed    | reject UNDECIDED
            ACTIVE/0      | resolve-b-rolled-back  | reject UNDECIDED
            ACTIVE/1      | phase2-held            | unchanged
            ACTIVE/1      | one-phase-held         | unchanged
            ACTIVE/1      | operator-rollback      | ROLLING_BACK none SendRollback[a] {a=ENLISTED}
            ACTIVE/1      | resolve-a-committed    | reject UNDECIDED
            ACTIVE/1      | resolve-b-committed    | reject UNDECIDED
            ACTIVE/1      | resolve-b-rolled-back  | reject UNDECIDED
            ACTIVE/2      | phase2-held            | unchanged
            ACTIVE/2      | one-phase-held         | unchanged
            ACTIVE/2      | operator-rollback      | ROLLING_BACK none SendRollback[a, b] {a=ENLISTED,b=ENLISTED}
            ACTIVE/2      | resolve-a-committed    | reject UNDECIDED
            ACTIVE/2      | resolve-b-committed    | reject UNDECIDED
            ACTIVE/2      | resolve-b-rolled-back  | reject UNDECIDED
            PREPARING/1   | phase2-held            | unchanged
            PREPARING/1   | one-phase-held         | PREPARING none RetryLater(0 held) {a=ENLISTED}
            PREPARING/1   | operator-rollback      | reject DELEGATED
            PREPARING/1   | resolve-a-committed    | COMMITTED none {a=RESOLVED}
            PREPARING/1   | resolve-b-committed    | reject NOT_WAITING
            PREPARING/1   | resolve-b-rolled-back  | reject NOT_WAITING
            PREPARING/2   | phase2-held            | unchanged
            PREPARING/2   | one-phase-held         | unchanged
            PREPARING/2   | operator-rollback      | ROLLING_BACK none SendRollback[a, b] {a=ENLISTED,b=ENLISTED}
            PREPARING/2   | resolve-a-committed    | reject UNDECIDED
            PREPARING/2   | resolve-b-committed    | reject UNDECIDED
            PREPARING/2   | resolve-b-rolled-back  | reject UNDECIDED
            COMMITTING    | phase2-held            | COMMITTING none RetryLater(0 held) {a=COMMITTED,b=PREPARED}
            COMMITTING    | one-phase-held         | unchanged
            COMMITTING    | operator-rollback      | reject ALREADY_COMMITTED
            COMMITTING    | resolve-a-committed    | reject NOT_WAITING
            COMMITTING    | resolve-b-committed    | COMMITTED lazy {a=COMMITTED,b=RESOLVED}
            COMMITTING    | resolve-b-rolled-back  | reject CONTRADICTS_DECISION
            ROLLING_BACK  | phase2-held            | ROLLING_BACK none RetryLater(0 held) {a=READ_ONLY,b=PREPARED}
            ROLLING_BACK  | one-phase-held         | unchanged
            ROLLING_BACK  | operator-rollback      | reject ALREADY_ROLLED_BACK
            ROLLING_BACK  | resolve-a-committed    | reject NOT_WAITING
            ROLLING_BACK  | resolve-b-committed    | reject CONTRADICTS_DECISION
            ROLLING_BACK  | resolve-b-rolled-back  | ROLLED_BACK none {a=READ_ONLY,b=RESOLVED}
            COMMITTED     | phase2-held            | unchanged
            COMMITTED     | one-phase-held         | unchanged
            COMMITTED     | operator-rollback      | reject ALREADY_COMMITTED
            COMMITTED     | resolve-a-committed    | reject NOT_WAITING
            COMMITTED     | resolve-b-committed    | reject NOT_WAITING
            COMMITTED     | resolve-b-rolled-back  | reject NOT_WAITING
            ROLLED_BACK   | phase2-held            | unchanged
            ROLLED_BACK   | one-phase-held         | unchanged
            ROLLED_BACK   | operator-rollback      | reject ALREADY_ROLLED_BACK
            ROLLED_BACK   | resolve-a-committed    | reject NOT_WAITING
            ROLLED_BACK   | resolve-b-committed    | reject NOT_WAITING
            ROLLED_BACK   | resolve-b-rolled-back  | reject NOT_WAITING
            HEURISTIC     | phase2-held            | unchanged
            HEURISTIC     | one-phase-held         | unchanged
            HEURISTIC     | operator-rollback      | reject ALREADY_COMMITTED
            HEURISTIC     | resolve-a-committed    | reject NOT_WAITING
            HEURISTIC     | resolve-b-committed    | reject NOT_WAITING
            HEURISTIC     | resolve-b-rolled-back  | reject NOT_WAITING
""";

    @Test
    void everyCellOfTheTransitionTableMatches() {
        Map<String, String> expected = new LinkedHashMap<>();
        for (String line : TABLE.strip().split("\\n")) {
            String[] cols = line.split("\\|");
            expected.put(cols[0].trim() + " | " + cols[1].trim(), cols[2].trim());
        }
        int cells = 0;
        for (var situation : ProtocolFixtures.situations().entrySet()) {
            for (var event : ProtocolFixtures.events().entrySet()) {
                String key = situation.getKey() + " | " + event.getKey();
                String want = expected.remove(key);
                if (want == null) {
                    fail("no row for " + key + ": every combination must be specified");
                }
                Step step = Protocol.apply(situation.getValue(), event.getValue());
                assertEquals(want, ProtocolFixtures.render(situation.getValue(), step), key);
                cells++;
            }
        }
        assertTrue(expected.isEmpty(), "rows for unknown combinations: " + expected.keySet());
        assertEquals(260, cells);
    }

    @Test
    void invariantsHoldInEveryCell() {
        for (var situation : ProtocolFixtures.situations().entrySet()) {
            Transaction before = situation.getValue();
            for (var event : ProtocolFixtures.events().entrySet()) {
                String key = situation.getKey() + " + " + event.getKey();
                Step step = Protocol.apply(before, event.getValue());
                Transaction after = step.next();
                if (before.decision() != null) {
                    assertEquals(before.decision(), after.decision(), "I2: a decision never changes: " + key);
                }
                boolean onePhaseOutcome = before.state() == TransactionState.PREPARING && before.isOnePhase();
                boolean commitDecided = before.decision() == null && after.decision() == Outcome.COMMITTED
                        && !onePhaseOutcome;
                boolean unrecordedHeuristic = after.state() == TransactionState.HEURISTIC
                        && before.state() != TransactionState.HEURISTIC && before.state() != TransactionState.COMMITTING;
                assertEquals(commitDecided || unrecordedHeuristic, step.durability() == Durability.FORCED,
                        "forced: the coordinator's commit decisions, and heuristic outcomes no decision record shows: " + key);
                boolean recordedCommitFinishes = before.state() == TransactionState.COMMITTING && after.state().isTerminal();
                assertEquals(recordedCommitFinishes, step.durability() == Durability.LAZY,
                        "lazy: only the completion of a recorded commit decision: " + key);
                if (!after.state().isDecided() || after.decision() == Outcome.ROLLED_BACK && !unrecordedHeuristic) {
                    assertEquals(Durability.NONE, step.durability(), "presumed abort: undecided and rolled back cost no write: " + key);
                }
                boolean sendsCommit = step.effects().stream().anyMatch(e -> e instanceof Effect.SendCommit);
                if (sendsCommit) {
                    assertEquals(Outcome.COMMITTED, after.decision(), "I3: phase 2 only after a commit decision: " + key);
                    assertTrue(step.durability() == Durability.FORCED || before.decision() == Outcome.COMMITTED,
                            "I3: commit sent only once the decision is durable: " + key);
                }
                if (step.effects().stream().anyMatch(e -> e instanceof Effect.SendRollback)) {
                    assertEquals(Outcome.ROLLED_BACK, after.decision(), "rollback only of a rolled-back transaction: " + key);
                }
                if ((event.getValue() instanceof Event.Expired || event.getValue() instanceof Event.Fenced)
                        && before.state().isDecided()) {
                    assertEquals(before, after, "timeouts and fences never touch a decided transaction: " + key);
                }
                if (before.state().isTerminal()) {
                    assertEquals(before, after, "I7: a finished transaction never moves: " + key);
                }
                if (after.state() != before.state()) {
                    assertNotEquals(TransactionState.ACTIVE, after.state(), "I7: nothing moves back to ACTIVE: " + key);
                }
            }
        }
    }

    @Test
    void aFailedDeliveryBacksOffCappedAndNeverGivesUp() {
        RetryPolicy policy = new RetryPolicy(Duration.ofMillis(200), Duration.ofSeconds(30));
        assertEquals(List.of(200L, 400L, 800L, 1600L),
                List.of(1, 2, 3, 4).stream().map(a -> policy.delay(a).toMillis()).toList());
        assertEquals(Duration.ofSeconds(30), policy.delay(9));
        assertEquals(Duration.ofSeconds(30), policy.delay(Integer.MAX_VALUE));

        Transaction committing = ProtocolFixtures.situations().get("COMMITTING");
        Event failed = ProtocolFixtures.events().get("phase2-failed");
        for (int round = 1; round <= 50; round++) {
            Step step = Protocol.apply(committing, failed);
            assertEquals(TransactionState.COMMITTING, step.next().state(), "I2: still driving commit after " + round);
            assertEquals(new Effect.RetryLater(round), step.effects().get(0));
            committing = step.next();
        }
    }

    @Test
    void heldDeliveriesCountNoAttemptAndWaitTheLongestDelay() {
        Transaction committing = ProtocolFixtures.situations().get("COMMITTING");
        Event held = ProtocolFixtures.events().get("phase2-held");
        for (int round = 1; round <= 5; round++) {
            Step step = Protocol.apply(committing, held);
            assertEquals(new Effect.RetryLater(0, true), step.effects().get(0), "round " + round);
            assertEquals("paused", step.next().branches().get(1).lastError());
            committing = step.next();
        }
    }

    @Test
    void anOperatorNeverChangesADecision() {
        for (var situation : ProtocolFixtures.situations().entrySet()) {
            Transaction before = situation.getValue();
            for (Outcome applied : Outcome.values()) {
                for (String participant : List.of("a", "b")) {
                    Step step = Protocol.apply(before, new Event.Resolved(participant, applied));
                    if (before.decision() != null && applied != before.decision()) {
                        assertTrue(step.isRejected() || step.next().equals(before),
                                "I2: resolving " + participant + " as " + applied + " in " + situation.getKey());
                    }
                }
            }
        }
    }

    @Test
    void lateVotesAfterARollbackChangeNothing() {
        Transaction tx = ProtocolFixtures.situations().get("PREPARING/2");
        Transaction rolledBack = Protocol.apply(tx, new Event.RollbackRequested()).next();
        Step late = Protocol.apply(rolledBack, ProtocolFixtures.events().get("votes-prepared"));
        assertEquals(rolledBack, late.next());
        assertTrue(late.effects().isEmpty());
    }
}
