package dev.verdict.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verdict.e2e.faults.DbProxy;
import dev.verdict.e2e.faults.LinkProxy;
import dev.verdict.e2e.faults.LinkProxy.Fault;
import dev.verdict.embedded.EmbeddedDatabase;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The fault matrix of issue 3, each case against real processes: the packaged coordinator (its
 * PostgreSQL behind a TCP proxy the test controls) and two sample banks, each reached by the
 * coordinator through an HTTP proxy that loses, garbles, delays or holds callbacks. Processes die
 * by SIGKILL or at named crash points. Every case ends by counting the money: conserved, no hold
 * left, nothing in doubt (I6, I4), plus the invariants it names.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultMatrixTest {

    private static final long START = 1_000_000;
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    Vertx vertx;
    EmbeddedDatabase database;
    DbProxy dbProxy;
    LinkProxy linkA;
    LinkProxy linkB;
    Service coordinator;
    Service bankA;
    Service bankB;
    ExecutorService clients = Executors.newCachedThreadPool();

    @BeforeAll
    void start() throws Exception {
        Path work = Service.workDir("faults");
        vertx = Vertx.vertx();
        database = EmbeddedDatabase.start(work.resolve("coordinator-db"), true);
        dbProxy = new DbProxy(vertx, database.port());
        coordinator = new Service("coordinator", Service.coordinatorJar(), work, coordinatorProperties("c1"));
        bankA = new Service("bank-a", Service.bankJar(), work, Map.of());
        bankB = new Service("bank-b", Service.bankJar(), work, Map.of());
        linkA = new LinkProxy(vertx, bankA.port);
        linkB = new LinkProxy(vertx, bankB.port);
        bankA.properties().putAll(bankProperties("bank-a", linkA));
        bankB.properties().putAll(bankProperties("bank-b", linkB));

        coordinator.start();
        bankA.start();
        bankB.start();
        await().atMost(PATIENCE).until(() ->
                given().get(coordinator.url() + "/participants").jsonPath().getList("name").size() == 2);
        open(bankA, "alice", START);
        open(bankB, "bob", START);
    }

    @AfterEach
    void healEverything() {
        linkA.heal().dropHeld();
        linkB.heal().dropHeld();
        dbProxy.restore();
    }

    @AfterAll
    void stopAll() throws Exception {
        Service.stopAll(bankA, bankB, coordinator);
        clients.shutdownNow();
        if (database != null) {
            database.stop();
        }
        if (vertx != null) {
            vertx.close();
        }
    }

    // --- crashes of the coordinator --------------------------------------------------------------

    @Test
    @Order(1)
    void case01_killedWithAllVotesInBeforeTheDecisionIsLogged_rollsBackEverywhere() throws Exception {
        Money before = money();
        restartCoordinatorWith("verdict.crash-point=before-decision");
        String tx = beginWithWork(Direction.A_TO_B, 700);
        Future<Response> commit = commitAsync(tx);
        coordinator.awaitExit();
        assertTrue(failedOrNotCommitted(commit), "I3: the client was not told COMMITTED");
        assertEquals(0, linkA.delivered("commit", tx) + linkB.delivered("commit", tx), "I3: no phase-2 message");

        coordinator.start();
        awaitState(tx, "ROLLED_BACK");
        awaitSettled(before); // I1: rolled back at both, holds released
    }

    @Test
    @Order(2)
    void case02_killedAfterTheDecisionIsLoggedBeforeAnyPhaseTwoCall_commitsEverywhere() throws Exception {
        Money before = money();
        restartCoordinatorWith("verdict.crash-point=after-decision");
        String tx = beginWithWork(Direction.A_TO_B, 700);
        Future<Response> commit = commitAsync(tx);
        coordinator.awaitExit();
        assertTrue(failedOrNotCommitted(commit));
        assertEquals(0, linkA.delivered("commit", tx) + linkB.delivered("commit", tx));

        coordinator.start();
        awaitState(tx, "COMMITTED"); // I2: the logged decision is carried out
        awaitSettled(before.moved(Direction.A_TO_B, 700));
    }

    @Test
    @Order(3)
    void case03_killedBetweenTheTwoCommits_bothCommitOnceAfterRestart() throws Exception {
        Money before = money();
        linkB.on("commit", Fault.HOLD);
        String tx = beginWithWork(Direction.A_TO_B, 300);
        commitAsync(tx);
        await().atMost(PATIENCE).until(() -> linkA.delivered("commit", tx) == 1 && linkB.heldCount() == 1);

        coordinator.kill(); // SIGKILL: bank-a committed, bank-b's commit is in the air
        linkB.dropHeld();
        linkB.heal();
        coordinator.start();
        awaitState(tx, "COMMITTED");
        awaitSettled(before.moved(Direction.A_TO_B, 300)); // I5: bank-a applied its commit once, whatever it heard
        // I8: after the kill, one node drove the transaction: the restarted one (a new incarnation).
        List<String> senders = linkA.senders("commit", tx);
        Set<String> after = new HashSet<>(senders.subList(1, senders.size()));
        after.addAll(linkB.senders("commit", tx));
        assertEquals(1, after.size(), "one coordinator drives each transaction after the kill: " + senders);
        assertTrue(!after.contains(senders.get(0)), "the dead incarnation sent nothing more: " + senders);
    }

    // --- crashes and slowness of a participant ---------------------------------------------------

    @Test
    @Order(4)
    void case04_participantKilledAfterVotingPrepared_keepsItsHoldAndAppliesTheDecision() throws Exception {
        Money before = money();
        linkB.on("commit", Fault.HOLD);
        String tx = beginWithWork(Direction.B_TO_A, 400); // bank-b debits bob: its prepare holds 400
        commitAsync(tx).get().then().statusCode(200).body("outcome", equalTo("COMMITTED"));

        bankB.kill();
        linkB.dropHeld();
        bankB.start(); // commit still held at the link: the restarted bank must still hold the money
        assertEquals(400, account(bankB, "bob").getLong("held"), "I4: the prepared hold survived SIGKILL");

        linkB.heal();
        awaitState(tx, "COMMITTED");
        awaitSettled(before.moved(Direction.B_TO_A, 400));
    }

    @Test
    @Order(5)
    void case05_preparedReplyLostOnTheWire_rollsBackAndTheVoteIsIgnored() throws Exception {
        Money before = money();
        linkB.on("prepare", Fault.LOSE_REPLY);
        String tx = beginWithWork(Direction.B_TO_A, 250);
        commitAsync(tx).get().then().statusCode(409).body("outcome", equalTo("ROLLED_BACK"))
                .body("reason", containsString("prepare failed at participant bank-b"));
        assertEquals(1, linkB.delivered("prepare", tx), "bank-b did prepare (and held the money)");
        awaitSettled(before); // I1: the rollback reached bank-b and released its hold
    }

    @Test
    @Order(6)
    void case06_commitAppliedButItsReplyLost_isRetriedAndAppliedOnce() throws Exception {
        Money before = money();
        linkB.on("commit", Fault.LOSE_REPLY);
        String tx = beginWithWork(Direction.A_TO_B, 150);
        commitAsync(tx).get().then().statusCode(200).body("outcome", equalTo("COMMITTED"));
        await().atMost(PATIENCE).until(() -> linkB.delivered("commit", tx) >= 2); // applied, reply lost, re-sent
        linkB.heal();
        awaitState(tx, "COMMITTED");
        awaitSettled(before.moved(Direction.A_TO_B, 150)); // I6: credited once, not twice
    }

    @Test
    @Order(7)
    void case07_rollbackOvertakesItsPrepare_theLatePrepareIsRefusedAndHoldsNothing() throws Exception {
        Money before = money();
        linkB.on("prepare", Fault.HOLD);
        String tx = beginWithWork(Direction.B_TO_A, 500);
        commitAsync(tx).get().then().statusCode(409).body("outcome", equalTo("ROLLED_BACK"));
        await().atMost(PATIENCE).until(() -> linkB.delivered("rollback", tx) == 1);

        linkB.release(); // the prepare arrives after its rollback
        await().atMost(PATIENCE).until(() -> linkB.delivered("prepare", tx) == 1);
        assertEquals(0, account(bankB, "bob").getLong("held"), "I5: the late prepare held nothing");
        awaitSettled(before);
    }

    @Test
    @Order(8)
    void case08_participantSlowerThanThePrepareTimeout_rollsBackEverywhere() throws Exception {
        Money before = money();
        linkB.on("prepare", Fault.DELAY).delay(2_500); // call timeout is 1 s
        String tx = beginWithWork(Direction.B_TO_A, 600);
        commitAsync(tx).get().then().statusCode(409).body("outcome", equalTo("ROLLED_BACK"))
                .body("reason", containsString("bank-b"));
        await().atMost(PATIENCE).until(() -> linkB.delivered("prepare", tx) == 1); // the slow prepare lands
        awaitSettled(before);
    }

    @Test
    @Order(9)
    void case09_badAnswersAtPrepareAbort_badAnswersAtCommitAreRetriedNeverAborted() throws Exception {
        for (Fault bad : List.of(Fault.GARBAGE, Fault.EMPTY, Fault.RESET, Fault.ERROR_500)) {
            Money before = money();
            linkB.on("prepare", bad);
            String aborted = beginWithWork(Direction.A_TO_B, 100);
            commitAsync(aborted).get().then().statusCode(409).body("outcome", equalTo("ROLLED_BACK"));
            linkB.heal();
            awaitSettled(before);

            linkB.on("commit", bad);
            String committed = beginWithWork(Direction.A_TO_B, 100);
            commitAsync(committed).get().then().statusCode(200).body("outcome", equalTo("COMMITTED"));
            await().atMost(PATIENCE).until(() -> lastError(committed) != null); // failed, kept, retried
            assertEquals("COMMITTING", transaction(committed).getString("state"), bad + ": never turned into an abort");
            linkB.heal();
            awaitState(committed, "COMMITTED");
            awaitSettled(before.moved(Direction.A_TO_B, 100));
        }
    }

    // --- the log store ---------------------------------------------------------------------------

    @Test
    @Order(10)
    void case10_databaseDown_noUndurableOutcomeIsReported_readinessDown_workResumes() throws Exception {
        Money before = money();
        String waiting = beginWithWork(Direction.A_TO_B, 200);
        linkB.on("commit", Fault.HOLD);
        String deciding = beginWithWork(Direction.A_TO_B, 300);
        commitAsync(deciding).get().then().statusCode(200);
        await().atMost(PATIENCE).until(() -> linkB.heldCount() == 1);

        dbProxy.cut();
        await().atMost(PATIENCE).until(() -> !coordinator.ready()); // I3: readiness reports it
        Response commit = commitAsync(waiting).get();
        assertEquals(503, commit.statusCode(), "no outcome is claimed without the log: " + commit.asString());
        assertEquals("application/problem+json", commit.contentType());
        linkB.heal();
        linkB.release(); // bank-b commits; the coordinator cannot record it yet

        dbProxy.restore();
        await().atMost(PATIENCE).until(coordinator::ready);
        commitAsync(waiting).get().then().statusCode(200).body("outcome", equalTo("COMMITTED"));
        awaitState(deciding, "COMMITTED");
        awaitSettled(before.moved(Direction.A_TO_B, 500));
    }

    @Test
    @Order(11)
    void case11_decisionCommittedButItsAcknowledgementLost_theCoordinatorRereadsAndCommits() throws Exception {
        Money before = money();
        String tx = beginWithWork(Direction.A_TO_B, 450);
        dbProxy.loseNextDecisionAck();
        // The decision is written when the votes arrive; that write's acknowledgement is lost, so the
        // coordinator does not know its own decision. It may not guess: it re-reads the row when the
        // transaction falls due and only then tells the waiting client and sends phase 2.
        Response commit = commitAsync(tx).get();
        assertEquals(1, dbProxy.acksLost(), "the decision's acknowledgement was lost");
        commit.then().statusCode(200).body("outcome", equalTo("COMMITTED")); // I2: consistent with the log
        awaitState(tx, "COMMITTED");
        given().get(coordinator.url() + "/transactions/" + tx + "/outcome").then().body("outcome", equalTo("COMMITTED"));
        awaitSettled(before.moved(Direction.A_TO_B, 450));
    }

    @Test
    @Order(12)
    void case12_participantCutOffBeyondTheRetryWindow_isListedInDoubtAndCompletesWhenHealed() throws Exception {
        Money before = money();
        linkB.on("commit", Fault.RESET);
        String tx = beginWithWork(Direction.A_TO_B, 120);
        commitAsync(tx).get().then().statusCode(200);
        await().atMost(PATIENCE).untilAsserted(() -> {
            JsonPath status = given().get(coordinator.url() + "/status").jsonPath();
            List<Map<String, Object>> inDoubt = status.getList("inDoubt");
            Map<String, Object> entry = inDoubt.stream().filter(t -> tx.equals(t.get("id"))).findFirst().orElseThrow();
            assertTrue(entry.toString().contains("bank-b"), "names the participant it waits on: " + entry);
            assertTrue(entry.toString().contains("attempts=") && lastError(tx) != null, "with attempts and last error: " + entry);
            assertTrue(attempts(tx, "bank-b") >= 4, "keeps retrying (the retry delay is capped at 500 ms)");
        });
        linkB.heal();
        awaitState(tx, "COMMITTED");
        awaitSettled(before.moved(Direction.A_TO_B, 120));
    }

    // --- races between clients and between coordinators ------------------------------------------

    @Test
    @Order(13)
    void case15_duplicateAndConcurrentCommitAndRollback_everyCallerHearsTheSameOutcome() throws Exception {
        for (int round = 0; round < 4; round++) {
            Money before = money();
            linkB.on("prepare", Fault.DELAY).delay(200); // widen the window the commands race in
            String tx = beginWithWork(Direction.A_TO_B, 50);
            List<Future<Response>> commits = new ArrayList<>();
            List<Future<Response>> rollbacks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                commits.add(commitAsync(tx));
                rollbacks.add(clients.submit(() -> given().post(coordinator.url() + "/transactions/" + tx + "/rollback")));
            }
            Set<String> heard = new HashSet<>();
            for (Future<Response> f : commits) {
                heard.add(f.get().jsonPath().getString("outcome"));
            }
            for (Future<Response> f : rollbacks) {
                heard.add(f.get().jsonPath().getString("outcome"));
            }
            assertEquals(1, heard.size(), "I5/I7: one outcome for every caller, heard " + heard);
            String outcome = heard.iterator().next();
            linkB.heal();
            awaitState(tx, outcome);
            awaitSettled(outcome.equals("COMMITTED") ? before.moved(Direction.A_TO_B, 50) : before);
        }
    }

    @Test
    @Order(14)
    void case14_twoCoordinatorsRecoverTheSameDatabaseAtOnce_eachTransactionDrivenByOne() throws Exception {
        Money before = money();
        linkA.on("commit", Fault.HOLD);
        linkB.on("commit", Fault.HOLD);
        List<String> txs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String tx = beginWithWork(Direction.A_TO_B, 10);
            commitAsync(tx).get().then().statusCode(200);
            txs.add(tx);
        }
        coordinator.kill();
        linkA.heal().dropHeld();
        linkB.heal().dropHeld();

        Service second = new Service("coordinator-c2", Service.coordinatorJar(), coordinator.dataDir.getParent(),
                coordinatorProperties("c2"));
        Service third = new Service("coordinator-c3", Service.coordinatorJar(), coordinator.dataDir.getParent(),
                coordinatorProperties("c3"));
        try {
            CompletableFuture.allOf(CompletableFuture.runAsync(() -> startQuietly(second), clients),
                    CompletableFuture.runAsync(() -> startQuietly(third), clients)).get();
            Set<String> drivers = new HashSet<>();
            for (String tx : txs) {
                await().atMost(PATIENCE).until(() -> "COMMITTED".equals(
                        given().get(second.url() + "/transactions/" + tx).jsonPath().getString("state")));
                // I8: each transaction was driven by exactly one of the two (a retry after a slow reply
                // is legitimate and comes from the same node); I5: the money shows each applied once.
                Set<String> senders = new HashSet<>(linkA.senders("commit", tx));
                senders.addAll(linkB.senders("commit", tx));
                assertEquals(1, senders.size(), "commits for " + tx + " came from " + senders);
                drivers.addAll(senders);
            }
            assertTrue(drivers.size() <= 2, "only the two new nodes drove anything: " + drivers);
            awaitSettled(before.moved(Direction.A_TO_B, 120), second.url());
        } finally {
            second.stop();
            third.stop();
            coordinator.start(); // back to one coordinator, same name: nothing left to take over
        }
    }

    // --- several coordinator nodes ----------------------------------------------------------------

    @Test
    @Order(16)
    void case16_ownerKilledWhileAForwardedCommitIsInFlight_theOtherNodeAnswersRolledBackDurably() throws Exception {
        Money before = money();
        Service peer = startPeer();
        try {
            linkB.on("prepare", Fault.HOLD);
            String tx = beginWithWork(Direction.A_TO_B, 80); // begun at c1, which owns it
            Future<Response> commit = clients.submit(() -> given().post(peer.url() + "/transactions/" + tx + "/commit"));
            await().atMost(PATIENCE).until(() -> linkB.heldCount() == 1); // relayed to c1, which is preparing
            coordinator.kill();
            Response relayed = commit.get();
            assertEquals(503, relayed.statusCode(), "the relay to the dead owner failed: " + relayed.asString());
            relayed.then().body("type", containsString("owner-unreachable"));
            linkB.heal().dropHeld();

            // Once c1 is declared dead, c2 answers from the log: no decision, so rolled back, made durable first.
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(300)).until(() ->
                    given().post(peer.url() + "/transactions/" + tx + "/commit").statusCode() == 409);
            given().post(peer.url() + "/transactions/" + tx + "/commit").then().statusCode(409)
                    .body("outcome", equalTo("ROLLED_BACK")).body("reason", containsString("could not be reached"));
            given().get(peer.url() + "/transactions/" + tx + "/outcome").then().body("outcome", equalTo("ROLLED_BACK"));

            coordinator.start(); // the banks' coordinator: bank-a, prepared, asks it and hears the same answer
            given().get(coordinator.url() + "/transactions/" + tx + "/outcome").then().body("outcome", equalTo("ROLLED_BACK"));
            awaitSettled(before);
        } finally {
            peer.stop();
        }
    }

    @Test
    @Order(17)
    void case17_ownerFrozenPastTheNodeTimeout_anotherNodeAnswersRolledBack_theOwnerWakesAndRollsBack() throws Exception {
        Money before = money();
        // Long call and outcome waits: the frozen owner must wake with its prepare call and its client's
        // commit still open, so that it goes on to decide, rather than time them out.
        coordinator.stop();
        coordinator.start("verdict.participant.call-timeout=60s", "verdict.transaction.outcome-wait=60s");
        Service peer = startPeer();
        try {
            linkB.on("prepare", Fault.HOLD);
            String tx = beginWithWork(Direction.A_TO_B, 90);
            Future<Response> commit = commitAsync(tx);
            await().atMost(PATIENCE).until(() -> linkB.heldCount() == 1 && linkA.delivered("prepare", tx) == 1);
            coordinator.freeze();

            // The participant in doubt asks another node. Once c1 is declared dead, c2 answers from the
            // log, and writes its "rolled back" first, under the key c1's commit decision would need.
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(300)).until(() ->
                    given().get(peer.url() + "/status").jsonPath().getList("nodes.name").equals(List.of("c2")));
            given().get(peer.url() + "/transactions/" + tx + "/outcome").then().body("outcome", equalTo("ROLLED_BACK"));

            linkB.heal().release(); // bank-b prepares now; its PREPARED waits in frozen c1's socket
            await().atMost(PATIENCE).until(() -> linkB.delivered("prepare", tx) == 1);
            coordinator.thaw(); // all votes in: c1 decides to commit, and its decision loses to the fence

            commit.get().then().statusCode(409).body("outcome", equalTo("ROLLED_BACK"))
                    .body("reason", containsString("answered 'rolled back' for it first"));
            assertEquals(0, linkA.delivered("commit", tx) + linkB.delivered("commit", tx), "I8: no commit was ever sent");
            awaitSettled(before);
        } finally {
            peer.stop();
            coordinator.stop();
            coordinator.start();
        }
    }

    /** A second coordinator node on the same database, its name c2; forwards once each sees the other. */
    private Service startPeer() throws Exception {
        Service peer = new Service("coordinator-c2", Service.coordinatorJar(), coordinator.dataDir.getParent(),
                coordinatorProperties("c2"));
        peer.start();
        await().atMost(PATIENCE).until(() -> given().get(peer.url() + "/status").jsonPath().getList("nodes.name").size() == 2);
        return peer;
    }

    // --- helpers -----------------------------------------------------------------------------------

    private enum Direction { A_TO_B, B_TO_A }

    /** Balances of both accounts; the total never changes (I6). */
    private record Money(long alice, long bob) {
        Money moved(Direction d, long amount) {
            return d == Direction.A_TO_B ? new Money(alice - amount, bob + amount) : new Money(alice + amount, bob - amount);
        }
    }

    private Money money() {
        return new Money(account(bankA, "alice").getLong("balance"), account(bankB, "bob").getLong("balance"));
    }

    private void awaitSettled(Money expected) {
        awaitSettled(expected, coordinator.url());
    }

    /** Balances as expected, total conserved, no hold left, nothing in doubt at the coordinator. */
    private void awaitSettled(Money expected, String coordinatorUrl) {
        assertEquals(2 * START, expected.alice() + expected.bob(), "I6: money is conserved");
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            JsonPath alice = account(bankA, "alice");
            JsonPath bob = account(bankB, "bob");
            assertEquals(expected, new Money(alice.getLong("balance"), bob.getLong("balance")));
            assertEquals(0, alice.getLong("held") + bob.getLong("held"), "no hold left behind");
            given().get(coordinatorUrl + "/status").then().body("inDoubtCount", equalTo(0));
        });
    }

    private String beginWithWork(Direction direction, long amount) {
        String tx = given().contentType(ContentType.JSON).body(Map.of("timeoutMs", 60_000))
                .post(coordinator.url() + "/transactions").then().statusCode(201).extract().header("Verdict-Transaction");
        Service debit = direction == Direction.A_TO_B ? bankA : bankB;
        Service credit = direction == Direction.A_TO_B ? bankB : bankA;
        work(debit, direction == Direction.A_TO_B ? "alice" : "bob", "debits", tx, amount);
        work(credit, direction == Direction.A_TO_B ? "bob" : "alice", "credits", tx, amount);
        return tx;
    }

    private static void work(Service bank, String account, String kind, String tx, long amount) {
        given().contentType(ContentType.JSON).header("Verdict-Transaction", tx).body(Map.of("amount", amount))
                .post(bank.url() + "/accounts/" + account + "/" + kind).then().statusCode(200);
    }

    private Future<Response> commitAsync(String tx) {
        String url = coordinator.url() + "/transactions/" + tx + "/commit";
        return clients.submit(() -> given().post(url));
    }

    private static boolean failedOrNotCommitted(Future<Response> commit) {
        try {
            return commit.get().statusCode() != 200;
        } catch (Exception e) {
            return true; // the connection died with the coordinator
        }
    }

    /**
     * Restarts the coordinator with a crash point armed. Its call timeout is raised for this run:
     * the first prepare a freshly started bank serves can take over a second on a loaded 2-core
     * machine, and a timed-out prepare rolls back before the decision the crash point waits for.
     */
    private void restartCoordinatorWith(String crashPoint) throws Exception {
        coordinator.stop();
        coordinator.start(crashPoint, "verdict.participant.call-timeout=10s");
    }

    private JsonPath transaction(String tx) {
        return given().get(coordinator.url() + "/transactions/" + tx).then().statusCode(200).extract().jsonPath();
    }

    private void awaitState(String tx, String state) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).until(() -> state.equals(transaction(tx).getString("state")));
    }

    private String lastError(String tx) {
        return transaction(tx).getString("branches.find { it.participant == 'bank-b' }.lastError");
    }

    private int attempts(String tx, String participant) {
        return transaction(tx).getInt("branches.find { it.participant == '" + participant + "' }.attempts");
    }

    private static JsonPath account(Service bank, String id) {
        return given().get(bank.url() + "/accounts/" + id).then().statusCode(200).extract().jsonPath();
    }

    private static void open(Service bank, String account, long balance) {
        given().contentType(ContentType.JSON).body(Map.of("id", account, "balance", balance))
                .post(bank.url() + "/accounts").then().statusCode(201);
    }

    private static void startQuietly(Service s) {
        try {
            s.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, String> coordinatorProperties(String nodeName) {
        Map<String, String> p = Service.coordinatorSettings(dbProxy.port(), nodeName);
        p.put("verdict.recovery.heartbeat-interval", "300ms");
        p.put("verdict.recovery.node-timeout", "3s");
        p.put("verdict.retry.max", "500ms");
        p.put("verdict.transaction.outcome-wait", "10s");
        return p;
    }

    private Map<String, String> bankProperties(String name, LinkProxy link) {
        Map<String, String> p = new HashMap<>();
        p.put("verdict.participant.name", name);
        p.put("verdict.participant.callback-url", link.url() + "/verdict");
        p.put("quarkus.rest-client.verdict-coordinator.url", coordinator.url());
        // Presumed abort: a transaction whose coordinator died undecided leaves nothing to drive its
        // rollback; its prepared participants learn it by asking, as they must (docs/protocol.md).
        p.put("verdict.participant.ask-after", "3s");
        p.put("verdict.participant.ask-every", "1s");
        return p;
    }
}
