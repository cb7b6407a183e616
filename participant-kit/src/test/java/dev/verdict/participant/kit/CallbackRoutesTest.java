package dev.verdict.participant.kit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.verdict.protocol.CallbackSignature;
import dev.verdict.protocol.Vote;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The callback routes against a real PostgreSQL: each local resource of a service is a participant
 * of its own, under its own path, with its own state for the same transaction; and a callback the
 * protocol does not allow changes nothing (docs/protocol.md, section 5).
 */
@QuarkusTest
class CallbackRoutesTest {

    private static final byte[] SECRET = CallbackSignature.decodeSecret(ConfigProvider.getConfig()
            .getValue("verdict.participant.callback-secrets", String.class).split(",")[0]);

    @Inject
    TestResources.Shelf shelf;

    @Inject
    TestResources.Ledger ledger;

    @Inject
    ParticipantLedger participant;

    @Inject
    Resources resources;

    @Test
    void eachResourceIsAParticipantOfItsOwnWithItsOwnPathAndState() throws Exception {
        assertEquals("stock", resources.participantName(shelf));
        assertEquals("stock.ledger", resources.participantName(ledger));
        assertEquals("http://127.0.0.1:8081/verdict/ledger", resources.callbackUrl(ledger).replaceAll(":[0-9]+/", ":8081/"));

        String tx = newId();
        join(shelf, tx);
        join(ledger, tx);
        ledger.willVote(tx, Vote.ABORT);

        callback("", tx, "prepare").statusCode(200).body("vote", equalTo("PREPARED"));
        callback("/ledger", tx, "prepare").statusCode(200).body("vote", equalTo("ABORT"));
        callback("", tx, "rollback").statusCode(200).body("outcome", equalTo("ROLLED_BACK"));
        callback("/ledger", tx, "rollback").statusCode(200).body("outcome", equalTo("ROLLED_BACK"));

        assertEquals(List.of("prepare", "rollback-prepared"), shelf.callsOf(tx));
        assertEquals(List.of("prepare", "rollback"), ledger.callsOf(tx), "an ABORT vote rolls back at once, and once");
    }

    @Test
    void aCallbackTheProtocolDoesNotAllowIsRefusedAndChangesNothing() throws Exception {
        String tx = newId();
        join(shelf, tx);
        callback("", tx, "finish").statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://verdict.dev/problems/unknown-callback")).body("transactionId", equalTo(tx));
        signed("/verdict/transactions/" + tx + "/prepare", "{\"transactionId\":\"" + newId() + "\"}").statusCode(400)
                .body("type", equalTo("https://verdict.dev/problems/transaction-id-mismatch"));
        signed("/verdict/transactions/Not_An_Id/prepare", "{}").statusCode(400)
                .body("type", equalTo("https://verdict.dev/problems/invalid-transaction-id"));
        given().body("{}").post("/verdict/transactions/" + tx + "/prepare").then().statusCode(401)
                .body("type", equalTo("https://verdict.dev/problems/callback-not-verified"));
        callback("/nosuch", tx, "prepare").statusCode(404);
        assertEquals(List.of(), shelf.callsOf(tx), "nothing reached the resource");
        assertEquals(LocalState.ACTIVE, participant.stateOf(shelf, tx).orElseThrow());
    }

    @Test
    void theStateOfATransactionHereIsReadWithACredentialOnly() throws Exception {
        String tx = newId();
        join(shelf, tx);
        given().get("/verdict/transactions/" + tx).then().statusCode(401);
    }

    private void join(LocalResource resource, String tx) throws Exception {
        participant.joinWork(resource, tx, () -> null);
    }

    private static String newId() {
        return "k" + UUID.randomUUID().toString().replace("-", "");
    }

    private static ValidatableResponse callback(String resourcePath, String tx, String action) {
        return signed("/verdict" + resourcePath + "/transactions/" + tx + "/" + action, "{\"transactionId\":\"" + tx + "\"}");
    }

    /** Signed as the coordinator signs, with the test profile's secret. */
    private static ValidatableResponse signed(String path, String body) {
        long now = System.currentTimeMillis() / 1000;
        String nonce = CallbackSignature.newNonce();
        String signature = CallbackSignature.sign(SECRET, "POST", path, now, nonce, body.getBytes(StandardCharsets.UTF_8));
        return given().contentType("application/json").body(body).header(CallbackSignature.TIMESTAMP, now)
                .header(CallbackSignature.NONCE, nonce).header(CallbackSignature.SIGNATURE, signature).post(path).then();
    }
}
