package dev.verdict.bank;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.verdict.participant.kit.ParticipantLedger;
import dev.verdict.protocol.CallbackSignature;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The participant side of the contract (docs/protocol.md, section 5) against a real PostgreSQL:
 * every callback idempotent, rollback before prepare, holds placed and released exactly once.
 */
@QuarkusTest
class ParticipantCallbacksTest {

    private static final String SECRET = org.eclipse.microprofile.config.ConfigProvider.getConfig()
            .getValue("verdict.participant.callback-secrets", String.class).split(",")[0];

    @Inject
    ParticipantLedger ledger;

    /** The bank's own API (accounts) asked as its admin; callbacks carry signatures, not credentials. */
    @org.junit.jupiter.api.BeforeAll
    static void asAdmin() {
        io.restassured.RestAssured.replaceFiltersWith((request, response, context) -> {
            if (!request.getHeaders().hasHeaderWithName("Authorization") && !request.getURI().contains("/verdict/")) {
                request.header("Authorization", "Bearer vdk_test-admin");
            }
            return context.next(request, response);
        });
    }

    @org.junit.jupiter.api.AfterAll
    static void noLongerAsAdmin() {
        io.restassured.RestAssured.replaceFiltersWith(java.util.List.of());
    }

    @Inject
    BankLedger bank;

    @Test
    void prepareHoldsCommitAppliesAndRepeatsChangeNothing() {
        String account = openAccount(1_000);
        String tx = work(account, -300);

        call(tx, "prepare").body("vote", equalTo("PREPARED"));
        call(tx, "prepare").body("vote", equalTo("PREPARED"));
        expectAccount(account, 1_000, 300);

        call(tx, "commit").body("outcome", equalTo("COMMITTED"));
        call(tx, "commit").body("outcome", equalTo("COMMITTED"));
        call(tx, "rollback").body("outcome", equalTo("COMMITTED"));
        expectAccount(account, 700, 0);
    }

    @Test
    void shortFundsVoteAbortAndHoldNothing() {
        String account = openAccount(100);
        String tx = work(account, -300);
        call(tx, "prepare").body("vote", equalTo("ABORT"));
        call(tx, "prepare").body("vote", equalTo("ABORT"));
        call(tx, "rollback").body("outcome", equalTo("ROLLED_BACK"));
        expectAccount(account, 100, 0);
    }

    @Test
    void rollbackReleasesTheHoldOnce() {
        String account = openAccount(1_000);
        String tx = work(account, -400);
        call(tx, "prepare").body("vote", equalTo("PREPARED"));
        call(tx, "rollback").body("outcome", equalTo("ROLLED_BACK"));
        call(tx, "rollback").body("outcome", equalTo("ROLLED_BACK"));
        expectAccount(account, 1_000, 0);
    }

    @Test
    void aRollbackBeforePrepareMakesTheLatePrepareAbort() {
        String account = openAccount(1_000);
        String tx = work(account, -400);
        call(tx, "rollback").body("outcome", equalTo("ROLLED_BACK"));
        call(tx, "prepare").body("vote", equalTo("ABORT"));
        expectAccount(account, 1_000, 0);

        String unknown = newTransactionId();
        call(unknown, "rollback").body("outcome", equalTo("ROLLED_BACK"));
        call(unknown, "prepare").body("vote", equalTo("ABORT"));
    }

    @Test
    void aReadOnlyVoterAnswersALateRollbackWithoutClaimingItCommitted() {
        String tx = newTransactionId();
        join(tx, () -> { }); // joined, no work: nothing to commit
        call(tx, "prepare").body("vote", equalTo("READ_ONLY"));
        call(tx, "prepare").body("vote", equalTo("READ_ONLY"));
        // The vote was lost on its way back, so the coordinator rolls back and says so. Answering
        // COMMITTED here would be recorded as a heuristic outcome (found by the seeded simulation).
        call(tx, "rollback").body("outcome", equalTo("ROLLED_BACK"));
        call(tx, "rollback").body("outcome", equalTo("ROLLED_BACK"));
    }

    @Test
    void onePhaseCommitDecidesHereAndIsIdempotent() {
        String account = openAccount(1_000);
        String tx = work(account, -250);
        call(tx, "commit-one-phase").body("outcome", equalTo("COMMITTED"));
        call(tx, "commit-one-phase").body("outcome", equalTo("COMMITTED"));
        expectAccount(account, 750, 0);

        String tooMuch = work(account, -5_000);
        call(tooMuch, "commit-one-phase").body("outcome", equalTo("ROLLED_BACK"));
        expectAccount(account, 750, 0);
    }

    @Test
    void commitWithoutPrepareIsRefusedAndChangesNothing() {
        String account = openAccount(1_000);
        String tx = work(account, -100);
        signed(tx, "commit").statusCode(409).contentType("application/problem+json");
        expectAccount(account, 1_000, 0);
    }

    @Test
    void anUnsignedCallbackIsRefusedAndChangesNothing() {
        String account = openAccount(1_000);
        String tx = work(account, -100);
        given().contentType(ContentType.JSON).body(Map.of("transactionId", tx)).post("/verdict/transactions/" + tx + "/prepare")
                .then().statusCode(401).contentType("application/problem+json");
        call(tx, "rollback").body("outcome", equalTo("ROLLED_BACK"));
        expectAccount(account, 1_000, 0);
    }

    @Test
    void workThatFailsLeavesNoJoinedStateSoPrepareAborts() {
        String tx = newTransactionId();
        org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> join(tx, () -> bank.record(tx, "no-such-account", -5)));
        // Joined with no work would vote READ_ONLY and let the others commit without us.
        call(tx, "prepare").body("vote", equalTo("ABORT"));
    }

    @Test
    void workArrivingAfterPrepareIsRefusedAndRecordedNowhere() {
        String account = openAccount(1_000);
        String tx = work(account, -100);
        call(tx, "prepare").body("vote", equalTo("PREPARED"));
        org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> join(tx, () -> bank.record(tx, account, -900)));
        call(tx, "commit").body("outcome", equalTo("COMMITTED"));
        expectAccount(account, 900, 0);
    }

    // --- helpers -----------------------------------------------------------------------------

    private String openAccount(long balance) {
        String id = "acct-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON).body(Map.of("id", id, "balance", balance)).post("/accounts")
                .then().statusCode(201);
        return id;
    }

    /** Work joined to a fresh transaction, as Verdict.join does after enlisting at the coordinator. */
    private String work(String account, long amount) {
        String tx = newTransactionId();
        join(tx, () -> bank.record(tx, account, amount));
        return tx;
    }

    /** The local half of Verdict.join (the coordinator is not needed for it). */
    private void join(String tx, Runnable work) {
        try {
            ledger.joinWork(bank, tx, () -> {
                work.run();
                return null;
            });
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh id of the protocol's syntax (docs/protocol.md, section 2). */
    private static String newTransactionId() {
        return "t" + UUID.randomUUID().toString().replace("-", "");
    }

    private static io.restassured.response.ValidatableResponse call(String tx, String action) {
        return signed(tx, action).statusCode(200);
    }

    /** A callback signed as the coordinator signs it, with the secret of the test profile. */
    private static io.restassured.response.ValidatableResponse signed(String tx, String action) {
        String path = "/verdict/transactions/" + tx + "/" + action;
        String body = "{\"transactionId\":\"" + tx + "\"}";
        long now = System.currentTimeMillis() / 1000;
        String nonce = CallbackSignature.newNonce();
        String signature = CallbackSignature.sign(CallbackSignature.decodeSecret(SECRET), "POST", path, now, nonce,
                body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return given().contentType(ContentType.JSON).body(body).header(CallbackSignature.TIMESTAMP, now)
                .header(CallbackSignature.NONCE, nonce).header(CallbackSignature.SIGNATURE, signature)
                .post(path).then();
    }

    private static void expectAccount(String id, long balance, long held) {
        given().get("/accounts/" + id).then().statusCode(200)
                .body("balance", equalTo((int) balance)).body("held", equalTo((int) held));
    }
}
