package dev.verdict.e2e;

import static dev.verdict.e2e.Banks.balance;
import static dev.verdict.e2e.Banks.open;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.verdict.e2e.faults.LinkProxy;
import dev.verdict.e2e.faults.LinkProxy.Fault;
import io.restassured.http.ContentType;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What a client of a service built on the participant kit hears when the coordinator fails it
 * half-way, with real processes: bank-a reaches the coordinator through a proxy that resets or
 * loses chosen requests. Once the transaction exists, every answer names it, so the client can ask
 * the coordinator what became of it: 503 with Retry-After when nothing was done, 202 PENDING when
 * the commit may have been decided.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KitUnderFaultsTest {

    private static final long ALICE = 100_000;
    private static final long BOB = 100_000;

    Vertx vertx;
    LinkProxy toCoordinator;
    Service coordinator;
    Service bankA;
    Service bankB;

    @BeforeAll
    void start() throws Exception {
        Service.callAsAdmin();
        vertx = Vertx.vertx();
        Path work = Service.workDir("kit-faults");
        coordinator = new Service("coordinator", Service.coordinatorJar(), work, Map.of(
                "verdict.participant.call-timeout", "10s",
                "verdict.auth.api-key-file", Service.keyFile().toString()));
        toCoordinator = new LinkProxy(vertx, coordinator.port);
        bankA = new Service("bank-a", Service.bankJar(), work, Banks.settings("bank-a", toCoordinator.url()));
        bankB = new Service("bank-b", Service.bankJar(), work, Banks.settings("bank-b", coordinator.url()));
        Banks.peers(bankA, bankB);
        Banks.start(coordinator, bankA, bankB);
        open(bankA, "alice", ALICE);
        open(bankB, "bob", BOB);
    }

    @AfterEach
    void heal() {
        toCoordinator.heal();
    }

    @AfterAll
    void stop() throws Exception {
        Service.stopAll(bankA, bankB, coordinator);
        toCoordinator.close();
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    /** Begun, then the enlistment's connection is reset: nothing was done, and the answer says which transaction. */
    @Test
    void theCoordinatorUnreachableAfterTheBeginGives503WithTheTransactionsId() {
        long alice = balance(bankA, "alice");
        toCoordinator.on("branches", Fault.RESET);
        String tx = transfer(500).then().statusCode(503).contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .body("type", equalTo("https://verdict.dev/problems/coordinator-unreachable"))
                .body("transactionId", matchesPattern("[0-9a-z.]{1,64}"))
                .extract().jsonPath().getString("transactionId");
        toCoordinator.heal();
        awaitOutcome(tx, "ROLLED_BACK");
        assertEquals(alice, balance(bankA, "alice"));
    }

    /**
     * The commit reaches the coordinator and commits, but its answer is lost: the client hears 202
     * PENDING with the id (not an error it might retry as a new transfer), and can find out.
     */
    @Test
    void aLostCommitAnswerIsPendingWithTheIdOfATransferThatCommitted() {
        long alice = balance(bankA, "alice");
        long bob = balance(bankB, "bob");
        toCoordinator.on("commit", Fault.LOSE_REPLY);
        String tx = transfer(700).then().statusCode(202).body("outcome", equalTo("PENDING"))
                .body("reason", containsString("/outcome"))
                .extract().jsonPath().getString("transactionId");
        toCoordinator.heal();
        awaitOutcome(tx, "COMMITTED");
        await().atMost(Duration.ofSeconds(60)).until(() -> balance(bankA, "alice") == alice - 700
                && balance(bankB, "bob") == bob + 700);
    }

    private io.restassured.response.Response transfer(long amount) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("fromAccount", "alice", "toBank", "bank-b", "toAccount", "bob", "amount", amount))
                .post(bankA.url() + "/transfers");
    }

    private void awaitOutcome(String tx, String outcome) {
        await().atMost(Duration.ofSeconds(60)).until(() -> outcome.equals(
                given().get(coordinator.url() + "/transactions/" + tx + "/outcome").jsonPath().getString("outcome")));
    }
}
