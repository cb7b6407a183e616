package dev.verdict.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verdict.e2e.faults.LinkProxy.Fault;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The fault matrix of one coordinator node against real processes (see {@link FaultWorld}):
 * crashes of the coordinator and of participants at every point of the protocol, bad answers,
 * lost replies and acknowledgements, the database going away, racing commands. Processes die by
 * SIGKILL or at named crash points. Several nodes: {@link NodeFailoverTest}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultMatrixTest extends FaultWorld {

    @Override
    String workName() {
        return "faults";
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
        linkB.on("prepare", Fault.DELAY).delay(14_000); // call timeout is 10 s
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
}
