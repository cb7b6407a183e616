package dev.verdict.e2e;

import static dev.verdict.e2e.Banks.balance;
import static dev.verdict.e2e.Banks.open;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.verdict.protocol.CallbackSignature;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The packaged coordinator and two sample banks as real processes on loopback, each with its own
 * real PostgreSQL, driven through the banks' documented transfer API. After every scenario the
 * money is counted: the total is constant, no hold is left, and coordinator and banks agree
 * (invariants I1, I4, I6). Crashes and lost messages are {@link FaultMatrixTest}'s business.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TransferEndToEndTest {

    private static final long ALICE = 100_000;
    private static final long BOB = 100_000;

    Service coordinator;
    Service bankA;
    Service bankB;

    @BeforeAll
    void start() throws Exception {
        Service.callAsAdmin();
        Path work = Service.workDir("transfers");
        Path coordinatorJar = Service.coordinatorJar();
        Path bankJar = Service.bankJar();

        coordinator = new Service("coordinator", coordinatorJar, work, Map.of(
                "verdict.participant.call-timeout", "10s", // slack for a loaded machine: a slow prepare is not a fault here
                "verdict.retry.initial", "100ms",
                "verdict.retry.max", "1s",
                "verdict.auth.api-key-file", Service.keyFile().toString()));
        bankA = new Service("bank-a", bankJar, work, Banks.settings("bank-a", coordinator.url()));
        bankB = new Service("bank-b", bankJar, work, Banks.settings("bank-b", coordinator.url()));
        Banks.peers(bankA, bankB);
        Banks.start(coordinator, bankA, bankB);
        open(bankA, "alice", ALICE);
        open(bankB, "bob", BOB);
    }

    @AfterAll
    void stopAll() throws Exception {
        Service.stopAll(bankA, bankB, coordinator);
    }

    @Test
    @Order(1)
    void aTransferCommitsAtBothBanks() {
        given().contentType(ContentType.JSON)
                .body(Map.of("fromAccount", "alice", "toBank", "bank-b", "toAccount", "bob", "amount", 1_000))
                .post(bankA.url() + "/transfers")
                .then().statusCode(200).body("outcome", equalTo("COMMITTED"));
        awaitBalances(ALICE - 1_000, BOB + 1_000);
    }

    @Test
    @Order(2)
    void anAbortVoteRollsTheTransferBack() {
        long alice = balance(bankA, "alice");
        long bob = balance(bankB, "bob");
        given().contentType(ContentType.JSON)
                .body(Map.of("fromAccount", "alice", "toBank", "bank-b", "toAccount", "bob", "amount", 10_000_000))
                .post(bankA.url() + "/transfers")
                .then().statusCode(409).body("outcome", equalTo("ROLLED_BACK"))
                .body("reason", containsString("bank-a voted ABORT"));
        awaitBalances(alice, bob);
    }

    @Test
    @Order(3)
    void aParticipantDownAtPrepareRollsBackAndConvergesWhenItReturns() throws Exception {
        long alice = balance(bankA, "alice");
        long bob = balance(bankB, "bob");
        String tx = beginWithWork(500);

        bankB.kill();
        given().post(coordinator.url() + "/transactions/" + tx + "/commit")
                .then().statusCode(409).body("outcome", equalTo("ROLLED_BACK"))
                .body("reason", containsString("prepare failed at participant bank-b"));

        bankB.start(); // its own PostgreSQL was orphaned by the SIGKILL: start-up must cope
        awaitCoordinatorState(tx, "ROLLED_BACK");
        awaitBalances(alice, bob);
    }

    /**
     * The attack of issue 10: posting prepare and commit straight to a bank. Every callback the
     * coordinator did not sign with bank-b's secret is refused with 401 and moves nothing; a genuine
     * one is accepted once, and its replay is refused.
     */
    @Test
    @Order(4)
    void callbacksNotSignedWithTheParticipantsSecretAreRefusedAndChangeNothing() {
        long alice = balance(bankA, "alice");
        long bob = balance(bankB, "bob");
        String tx = beginWithWork(700);
        String prepare = "/verdict/transactions/" + tx + "/prepare";
        String commit = "/verdict/transactions/" + tx + "/commit";
        String body = "{\"transactionId\":\"" + tx + "\"}";
        String secret = Service.callbackSecretOf("bank-b");
        long now = System.currentTimeMillis() / 1000;

        Map<String, Map<String, String>> forged = new java.util.LinkedHashMap<>();
        forged.put("unsigned", Map.of());
        forged.put("wrong key", signature(CallbackSignature.newSecret(), prepare, now, body));
        forged.put("signed for another path", signature(secret, commit, now, body));
        forged.put("stale", signature(secret, prepare, now - 3600, body));
        forged.put("tampered body", signature(secret, prepare, now, body.replace("}", ",\"x\":1}")));
        forged.forEach((how, headers) -> given().headers(headers).contentType(ContentType.JSON).body(body)
                .post(bankB.url() + prepare).then().statusCode(401).contentType("application/problem+json"));
        given().headers(signature(CallbackSignature.newSecret(), commit, now, body)).contentType(ContentType.JSON).body(body)
                .post(bankB.url() + commit).then().statusCode(401);
        given().get(bankB.url() + "/verdict/transactions/" + tx).then().body("state", equalTo("ACTIVE"));

        Map<String, String> genuine = signature(secret, prepare, now, body);
        given().headers(genuine).contentType(ContentType.JSON).body(body).post(bankB.url() + prepare)
                .then().statusCode(200).body("vote", equalTo("PREPARED"));
        given().headers(genuine).contentType(ContentType.JSON).body(body).post(bankB.url() + prepare)
                .then().statusCode(401); // the same signature again: a replay

        given().post(coordinator.url() + "/transactions/" + tx + "/rollback").then().statusCode(200);
        awaitBalances(alice, bob);

        // During a rotation the previous secret is still accepted (a rollback of an unknown id: a tombstone only).
        String other = "01jxq3v4r5s6t7u8v9w0x1y2z3.rotation00000";
        String rollback = "/verdict/transactions/" + other + "/rollback";
        String otherBody = "{\"transactionId\":\"" + other + "\"}";
        given().headers(signature(Service.callbackSecretOf("bank-b (previous)"), rollback, now, otherBody))
                .contentType(ContentType.JSON).body(otherBody).post(bankB.url() + rollback)
                .then().statusCode(200).body("outcome", equalTo("ROLLED_BACK"));
    }

    // --- helpers -----------------------------------------------------------------------------

    private static Map<String, String> signature(String secret, String path, long timestamp, String body) {
        String nonce = CallbackSignature.newNonce();
        return Map.of(CallbackSignature.TIMESTAMP, Long.toString(timestamp), CallbackSignature.NONCE, nonce,
                CallbackSignature.SIGNATURE, CallbackSignature.sign(CallbackSignature.decodeSecret(secret), "POST", path,
                        timestamp, nonce, body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** Begins a transaction and has alice debited at bank-a and bob credited at bank-b under it. */
    private String beginWithWork(long amount) {
        String tx = given().contentType(ContentType.JSON).body(Map.of("timeoutMs", 60_000))
                .post(coordinator.url() + "/transactions").then().statusCode(201)
                .extract().header("Verdict-Transaction");
        given().contentType(ContentType.JSON).header("Verdict-Transaction", tx).body(Map.of("amount", amount))
                .post(bankA.url() + "/accounts/alice/debits").then().statusCode(200);
        given().contentType(ContentType.JSON).header("Verdict-Transaction", tx).body(Map.of("amount", amount))
                .post(bankB.url() + "/accounts/bob/credits").then().statusCode(200);
        return tx;
    }

    /** Balances reach the expected values, the total is conserved and no hold is left anywhere. */
    private void awaitBalances(long alice, long bob) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            JsonPath a = given().get(bankA.url() + "/accounts").jsonPath();
            JsonPath b = given().get(bankB.url() + "/accounts").jsonPath();
            assertEquals(alice, a.getLong("total"), "alice");
            assertEquals(bob, b.getLong("total"), "bob");
            assertEquals(0, a.getLong("held") + b.getLong("held"), "no hold left behind");
            given().get(coordinator.url() + "/status").then().body("inDoubtCount", equalTo(0));
        });
        assertEquals(ALICE + BOB, alice + bob, "I6: total money is conserved");
    }

    private void awaitCoordinatorState(String tx, String state) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() ->
                state.equals(given().get(coordinator.url() + "/transactions/" + tx).jsonPath().getString("state")));
    }
}
