package dev.verdict.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verdict.e2e.faults.LinkProxy.Fault;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Several coordinator nodes on one database (see {@link FaultWorld}): decided transactions of a
 * killed node recovered by two new ones at once, each by exactly one; a node killed under a
 * commit another node relayed to it; a node frozen past the node timeout while another answers
 * for it, which must lose to that answer when it wakes (invariant I8).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeFailoverTest extends FaultWorld {

    @Override
    String workName() {
        return "failover";
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

        // A node paused past the node timeout (a busy machine: two JVMs starting at once) is declared
        // dead and rejoins as a new incarnation, and the other takes its transactions over: correct,
        // but then two incarnations send a transaction's commits, which this case counts as a
        // violation. A longer node timeout keeps this case about two healthy nodes racing.
        Service second = new Service("coordinator-c2", Service.coordinatorJar(), coordinator.dataDir.getParent(),
                withNodeTimeout(coordinatorProperties("c2"), "15s"));
        Service third = new Service("coordinator-c3", Service.coordinatorJar(), coordinator.dataDir.getParent(),
                withNodeTimeout(coordinatorProperties("c3"), "15s"));
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
                    .body("outcome", equalTo("ROLLED_BACK")).body("presumedAbort", equalTo(true))
                    .body("reason", containsString("stopped before recording a commit decision"));
            given().get(peer.url() + "/transactions/" + tx + "/outcome").then().body("outcome", equalTo("ROLLED_BACK"));
            // Durable before it was given, and written by c2: the record under the transaction's key.
            assertEquals(List.of("ROLLED_BACK", incarnationOf(peer)), logRecord(tx), "the fence in the log");

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

    @Test
    @Order(18)
    void case18_theParticipantsViewAddsUpEveryNodesBacklog_andNamesANodeThatCannotAnswer() throws Exception {
        Money before = money();
        Service peer = startPeer();
        try {
            linkB.on("commit", Fault.HOLD);
            String tx = beginWithWork(Direction.A_TO_B, 15); // begun at c1, which drives it
            commitAsync(tx).get().then().statusCode(200);
            // Phase 2 is one round: bank-a's branch shows COMMITTED only once bank-b's held commit has
            // timed out (call timeout), and by then the retries pile up behind it, so the held count is
            // at least one rather than exactly one.
            await().atMost(PATIENCE).until(() -> linkB.heldCount() >= 1 && "COMMITTED".equals(given()
                    .get(coordinator.url() + "/transactions/" + tx).jsonPath()
                    .getString("branches.find { it.participant == 'bank-a' }.state"))); // bank-a has its commit

            // c2 holds nothing itself; what waits on bank-b is in c1's memory, and c2 asks c1 for it.
            given().get(peer.url() + "/participants/bank-b?scope=node").then().statusCode(200).body("backlog", equalTo(0));
            given().get(peer.url() + "/participants/bank-b").then().statusCode(200)
                    .body("backlog", equalTo(1)).body("unansweredNodes", nullValue());
            given().get(peer.url() + "/participants").then().statusCode(200)
                    .body("find { it.name == 'bank-b' }.backlog", equalTo(1))
                    .body("find { it.name == 'bank-a' }.backlog", equalTo(0));

            // c1 dies: until it is declared dead (3 s), c2 says whose part is missing rather than show 0 as the truth.
            coordinator.kill();
            given().get(peer.url() + "/participants/bank-b").then().statusCode(200)
                    .body("unansweredNodes", equalTo(List.of("c1")));
            linkB.heal().dropHeld();
            awaitSettled(before.moved(Direction.A_TO_B, 15), peer.url());
        } finally {
            peer.stop();
            coordinator.start();
        }
    }

    private static Map<String, String> withNodeTimeout(Map<String, String> properties, String timeout) {
        properties.put("verdict.recovery.node-timeout", timeout);
        return properties;
    }
}
