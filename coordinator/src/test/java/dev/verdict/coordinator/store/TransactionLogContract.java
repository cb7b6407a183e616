package dev.verdict.coordinator.store;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verdict.coordinator.core.Branch;
import dev.verdict.coordinator.core.BranchState;
import dev.verdict.coordinator.core.Transaction;
import dev.verdict.coordinator.core.TransactionState;
import dev.verdict.coordinator.model.Node;
import dev.verdict.coordinator.model.StoredTransaction;
import dev.verdict.coordinator.port.Nodes;
import dev.verdict.coordinator.port.RecoveryScan;
import dev.verdict.coordinator.port.TransactionLog;
import dev.verdict.coordinator.port.TransactionQueries;
import dev.verdict.protocol.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The contract every transaction log passes: the PostgreSQL one ({@link JdbcLogContractTest}) and
 * the simulation's in-memory twin ({@link MemoryLogContractTest}), so that what the simulation
 * proves about the driver holds against the real store. Each test uses fresh ids and node names.
 */
abstract class TransactionLogContract {

    /** The four storage ports of one log. */
    record Stores(TransactionLog log, RecoveryScan scan, TransactionQueries queries, Nodes nodes) {}

    /** Long enough that a node registered by a test stays alive through it, even on a loaded machine. */
    static final Duration NODE_TIMEOUT = Duration.ofSeconds(10);

    abstract Stores stores();

    // --- decisions and fences --------------------------------------------------------------------

    @Test
    void aDecisionIsRecordedOnceAndAnEarlierRecordAlwaysWins() {
        Stores s = stores();
        String id = id();
        assertEquals(Map.of(), s.log().write(List.of(committing(id)), List.of(), "owner-a"));
        assertEquals(Map.of(id, Outcome.COMMITTED), s.log().write(List.of(committing(id)), List.of(), "owner-a"),
                "the same decision again (a lost acknowledgement) meets itself");
        assertEquals(Map.of(id, Outcome.COMMITTED), s.log().write(List.of(fence(id)), List.of(), "other"),
                "a fence after the commit decision loses and learns the decision");
        TransactionQueries.Logged logged = s.queries().find(id).orElseThrow();
        assertEquals(TransactionState.COMMITTING, logged.tx().tx().state());
        assertEquals("owner-a", logged.owner());
        assertEquals(List.of("a", "b"), logged.tx().tx().branches().stream().map(Branch::participant).toList());
    }

    @Test
    void aFenceFirstMakesTheOwnersCommitDecisionLose() {
        Stores s = stores();
        String id = id();
        assertEquals(Map.of(), s.log().write(List.of(fence(id)), List.of(), "fencer"));
        assertEquals(Map.of(id, Outcome.ROLLED_BACK), s.log().write(List.of(committing(id)), List.of(), "owner"));
        assertEquals(Outcome.ROLLED_BACK, s.queries().find(id).orElseThrow().tx().tx().decision(), "I8: the fence stands");
    }

    @Test
    void aGroupHoldsManyDecisionsAndCompletionsAndReportsOnlyTheConflicts() {
        Stores s = stores();
        String done = id();
        s.log().write(List.of(committing(done)), List.of(), "n");
        String fenced = id();
        s.log().write(List.of(fence(fenced)), List.of(), "f");
        String fresh1 = id();
        String fresh2 = id();
        Map<String, Outcome> conflicts = s.log().write(List.of(committing(fresh1), committing(fenced), committing(fresh2)),
                List.of(completed(done)), "n");
        assertEquals(Map.of(fenced, Outcome.ROLLED_BACK), conflicts);
        assertTrue(s.queries().find(fresh1).isPresent() && s.queries().find(fresh2).isPresent());
        assertEquals(TransactionState.COMMITTED, s.queries().find(done).orElseThrow().tx().tx().state());
        assertEquals(Map.of(), s.log().write(List.of(), List.of(), "n"), "an empty group is harmless");
    }

    // --- completions -----------------------------------------------------------------------------

    @Test
    void aCompletionFinishesItsDecisionAndKeepsWhenItWasDecided() {
        Stores s = stores();
        String id = id();
        StoredTransaction decided = committing(id);
        s.log().write(List.of(decided), List.of(), "owner");
        s.log().write(List.of(), List.of(completed(id)), "someone-else");
        TransactionQueries.Logged logged = s.queries().find(id).orElseThrow();
        assertEquals(TransactionState.COMMITTED, logged.tx().tx().state());
        assertEquals(BranchState.COMMITTED, logged.tx().tx().branches().get(1).state());
        assertEquals(decided.decidedAt(), logged.tx().decidedAt());
        assertTrue(logged.tx().completedAt() != null);
        assertEquals("owner", logged.owner(), "completing does not change who drives it");
    }

    @Test
    void aCompletionNeverChangesARecordedDecision() {
        Stores s = stores();
        String id = id();
        s.log().write(List.of(fence(id)), List.of(), "fencer");
        StoredTransaction contrary = new StoredTransaction(new Transaction(id, TransactionState.HEURISTIC, Outcome.COMMITTED,
                null, List.of()), T0, null, T0, T0.plusSeconds(1), null, "owner-client");
        s.log().write(List.of(), List.of(contrary), "owner");
        assertEquals(Outcome.ROLLED_BACK, s.queries().find(id).orElseThrow().tx().tx().decision(), "I2");
        assertEquals(TransactionState.ROLLED_BACK, s.queries().find(id).orElseThrow().tx().tx().state());
    }

    @Test
    void whoBeganATransactionStaysWithItsRecordThroughCompletion() {
        Stores s = stores();
        String id = id();
        s.log().write(List.of(committing(id)), List.of(), "owner");
        assertEquals("client", s.queries().find(id).orElseThrow().tx().beganBy());
        s.log().write(List.of(), List.of(completed(id)), "owner");
        assertEquals("client", s.queries().find(id).orElseThrow().tx().beganBy());
        String fenced = id();
        s.log().write(List.of(fence(fenced)), List.of(), "fencer");
        assertNull(s.queries().find(fenced).orElseThrow().tx().beganBy(), "a fence knows only the id");
    }

    @Test
    void aHeuristicOutcomeOfARollbackIsRecordedWhereNothingWas() {
        Stores s = stores();
        String id = id();
        StoredTransaction heuristic = new StoredTransaction(new Transaction(id, TransactionState.HEURISTIC, Outcome.ROLLED_BACK,
                "participant b voted ABORT", List.of(new Branch("a", BranchState.HEURISTIC_COMMIT, 0, null))),
                T0, T0.plusSeconds(60), T0, T0.plusSeconds(1), null, "client");
        s.log().write(List.of(), List.of(heuristic), "owner");
        assertTrue(s.queries().heuristic(1000).stream().anyMatch(t -> t.id().equals(id)));
        assertTrue(s.queries().countHeuristic() >= 1);
    }

    // --- takeover --------------------------------------------------------------------------------

    @Test
    void decidedTransactionsOfADeadNodeAreClaimedOnceAndFinishedOnesNever() {
        Stores s = stores();
        String live = "live-" + UUID.randomUUID();
        s.nodes().register(live, live, "http://127.0.0.1:1");
        String orphan1 = id();
        String orphan2 = id();
        String ownedByLive = id();
        String finished = id();
        s.log().write(List.of(committing(orphan1), committing(orphan2)), List.of(), "ghost-" + UUID.randomUUID());
        s.log().write(List.of(committing(ownedByLive)), List.of(), live);
        s.log().write(List.of(committing(finished)), List.of(), "ghost-" + UUID.randomUUID());
        s.log().write(List.of(), List.of(completed(finished)), "x");
        assertTrue(s.queries().unfinishedWith("b") >= 3);
        assertTrue(s.queries().orphaned(NODE_TIMEOUT, 100_000).stream().map(StoredTransaction::id).toList()
                .containsAll(List.of(orphan1, orphan2)));

        String a = "claimer-a-" + UUID.randomUUID();
        String b = "claimer-b-" + UUID.randomUUID();
        s.nodes().register(a, a, "http://127.0.0.1:4");
        s.nodes().register(b, b, "http://127.0.0.1:5");
        Set<String> claimedByA = ids(claimAll(s, a));
        Set<String> claimedByB = ids(claimAll(s, b));
        assertTrue(claimedByA.containsAll(List.of(orphan1, orphan2)));
        assertFalse(claimedByA.contains(ownedByLive) || claimedByA.contains(finished));
        assertFalse(claimedByB.contains(orphan1) || claimedByB.contains(orphan2), "each orphan is taken over once");
        assertEquals(a, s.queries().find(orphan1).orElseThrow().owner());
    }

    @Test
    void aNodeFindsTheUnfinishedTransactionsItOwnsDecidedBeforeAGivenTime() {
        Stores s = stores();
        String owner = "owner-" + UUID.randomUUID();
        String old = id();
        String finished = id();
        s.log().write(List.of(committing(old), committing(finished)), List.of(), owner);
        s.log().write(List.of(), List.of(completed(finished)), owner);
        List<String> found = s.scan().unfinishedOwnedBy(owner, T0.plusSeconds(1), 100).stream().map(StoredTransaction::id).toList();
        assertEquals(List.of(old), found);
        assertEquals(List.of(), s.scan().unfinishedOwnedBy(owner, T0, 100), "decided after the given time: left alone");
    }

    @Test
    void aNodeLateWithItsHeartbeatKeepsItsTransactionsUntilItIsDeclaredDead() {
        Stores s = stores();
        String slow = "slow-" + UUID.randomUUID();
        String claimer = "claimer-" + UUID.randomUUID();
        s.nodes().register(slow, slow, "http://127.0.0.1:7");
        s.nodes().register(claimer, claimer, "http://127.0.0.1:8");
        String id = id();
        s.log().write(List.of(committing(id)), List.of(), slow);
        Duration timeout = Duration.ofMillis(300);
        await().atMost(Duration.ofSeconds(5)).until(() -> s.nodes().liveness(slow, timeout) == Nodes.Liveness.DEAD);
        assertFalse(ids(claimAll(s, claimer)).contains(id), "silent, but not declared dead: it may still be driving it");
        s.nodes().buryDead(timeout);
        assertTrue(ids(claimAll(s, claimer)).contains(id));
        assertFalse(s.nodes().heartbeat(slow), "and if it wakes up, it learns it was declared dead");
    }

    @Test
    void registeringAgainChangesNothingMoreButCannotReviveTheDead() {
        Stores s = stores();
        String name = "again-" + UUID.randomUUID();
        assertTrue(s.nodes().register(name + "-1", name, "http://127.0.0.1:9"));
        assertTrue(s.nodes().register(name + "-1", name, "http://127.0.0.1:9"), "a lost acknowledgement, repeated");
        assertEquals(Nodes.Liveness.ALIVE, s.nodes().liveness(name + "-1", NODE_TIMEOUT));
        assertTrue(s.nodes().register(name + "-2", name, "http://127.0.0.1:9"));
        assertFalse(s.nodes().register(name + "-1", name, "http://127.0.0.1:9"), "superseded stays dead");
        assertEquals(Nodes.Liveness.ALIVE, s.nodes().liveness(name + "-2", NODE_TIMEOUT), "and kills nobody");
    }

    @Test
    void aCompletionTwiceInOneGroupIsWrittenOnce() {
        Stores s = stores();
        String id = id();
        s.log().write(List.of(committing(id)), List.of(), "owner");
        s.log().write(List.of(), List.of(completed(id), completed(id)), "owner");
        assertEquals(TransactionState.COMMITTED, s.queries().find(id).orElseThrow().tx().tx().state());
    }

    // --- nodes -----------------------------------------------------------------------------------

    @Test
    void aNewStartOfANameSupersedesTheOldOneForGood() {
        Stores s = stores();
        String name = "node-" + UUID.randomUUID();
        s.nodes().register(name + "-1", name, "http://127.0.0.1:1");
        assertTrue(s.nodes().heartbeat(name + "-1"));
        s.nodes().register(name + "-2", name, "http://127.0.0.1:2");
        assertFalse(s.nodes().heartbeat(name + "-1"), "superseded");
        assertTrue(s.nodes().heartbeat(name + "-2"));
        List<Node> live = s.nodes().live(NODE_TIMEOUT);
        assertTrue(live.contains(new Node(name + "-2", name, "http://127.0.0.1:2")));
        assertFalse(live.stream().anyMatch(n -> n.id().equals(name + "-1")));
        assertEquals(Nodes.Liveness.DEAD, s.nodes().liveness(name + "-1", NODE_TIMEOUT));
        assertEquals(Nodes.Liveness.ALIVE, s.nodes().liveness(name + "-2", NODE_TIMEOUT));
        assertEquals(Nodes.Liveness.UNKNOWN, s.nodes().liveness("never-" + UUID.randomUUID(), NODE_TIMEOUT));
    }

    @Test
    void aNodeThatLeavesIsDeadAtOnce() {
        Stores s = stores();
        String id = "leaving-" + UUID.randomUUID();
        s.nodes().register(id, id, "http://127.0.0.1:6");
        s.nodes().leave(id);
        assertEquals(Nodes.Liveness.DEAD, s.nodes().liveness(id, NODE_TIMEOUT));
        assertFalse(s.nodes().heartbeat(id));
    }

    @Test
    void aSilentNodeIsBuriedAndItsHeartbeatCannotReviveIt() {
        Stores s = stores();
        String id = "quiet-" + UUID.randomUUID();
        Duration timeout = Duration.ofMillis(300);
        s.nodes().register(id, id, "http://127.0.0.1:3");
        await().atMost(Duration.ofSeconds(5)).until(() -> s.nodes().live(timeout).stream().noneMatch(n -> n.id().equals(id)));
        assertEquals(Nodes.Liveness.DEAD, s.nodes().liveness(id, timeout));
        assertTrue(s.nodes().buryDead(timeout) >= 1);
        assertFalse(s.nodes().heartbeat(id), "a paused node learns it was declared dead");
    }

    // --- helpers ---------------------------------------------------------------------------------

    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z").truncatedTo(ChronoUnit.MILLIS);

    static String id() {
        return "contract-" + UUID.randomUUID();
    }

    static StoredTransaction committing(String id) {
        Transaction tx = new Transaction(id, TransactionState.COMMITTING, Outcome.COMMITTED, null,
                List.of(new Branch("a", BranchState.PREPARED, 0, null), new Branch("b", BranchState.PREPARED, 0, null)));
        return new StoredTransaction(tx, T0, T0.plusSeconds(60), T0.plusMillis(5), null, null, "client");
    }

    static StoredTransaction fence(String id) {
        Transaction tx = new Transaction(id, TransactionState.ROLLED_BACK, Outcome.ROLLED_BACK, "presumed abort", List.of());
        return new StoredTransaction(tx, null, null, T0, T0, null, null);
    }

    static StoredTransaction completed(String id) {
        Transaction tx = new Transaction(id, TransactionState.COMMITTED, Outcome.COMMITTED, null,
                List.of(new Branch("a", BranchState.COMMITTED, 0, null), new Branch("b", BranchState.COMMITTED, 0, null)));
        return new StoredTransaction(tx, T0, T0.plusSeconds(60), T0.plusMillis(5), T0.plusMillis(9), null, "client");
    }

    private static List<StoredTransaction> claimAll(Stores s, String node) {
        return s.scan().claimOrphans(node, 100_000);
    }

    private static Set<String> ids(List<StoredTransaction> txs) {
        Set<String> ids = new HashSet<>();
        txs.forEach(t -> ids.add(t.id()));
        return ids;
    }
}
