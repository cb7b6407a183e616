package dev.verdict.bank;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Transfer requests are checked before anything is begun or sent to another bank. */
@QuarkusTest
class TransferRequestTest {

    private static final String CUSTOMER = "Bearer vdk_test-customer";

    @Test
    void accountIdsThatCouldEscapeThePeerUrlAreRefused() {
        for (String bad : new String[] {"../admin", "bob?x=1", "bob smith", ""}) {
            given().header("Authorization", CUSTOMER).contentType(ContentType.JSON)
                    .body(Map.of("fromAccount", "alice", "toBank", "bank-z", "toAccount", bad, "amount", 5))
                    .post("/transfers").then().statusCode(400).contentType("application/problem+json")
                    .body("detail", containsString("toAccount"));
        }
    }

    /** The bank's own API is not open: anyone could otherwise credit an account and commit, creating money. */
    @Test
    void theBanksApiNeedsACredentialWithTheClientRole() {
        Map<String, Object> transfer = Map.of("fromAccount", "alice", "toBank", "bank-z", "toAccount", "bob", "amount", 5);
        given().contentType(ContentType.JSON).body(transfer).post("/transfers").then().statusCode(401)
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON).body(Map.of("amount", 5)).header("Verdict-Transaction", "t")
                .post("/accounts/alice/credits").then().statusCode(401);
        for (String notAPeer : new String[] {"Bearer vdk_test-operator", "Bearer vdk_test-customer"}) {
            given().header("Authorization", notAPeer).contentType(ContentType.JSON).body(Map.of("amount", 5))
                    .header("Verdict-Transaction", "t").post("/accounts/alice/credits").then().statusCode(403)
                    .contentType("application/problem+json");
        }
        given().header("Authorization", "Bearer vdk_test-forged").get("/accounts").then().statusCode(401);
        given().get("/verdict/transactions/t").then().statusCode(401);
        given().header("Authorization", "Bearer vdk_test-operator").get("/verdict/transactions/t").then().statusCode(404);
        given().header("Authorization", "Bearer vdk_test-admin").get("/verdict/transactions/t").then().statusCode(404);
        given().get("/q/health/live").then().statusCode(200);
    }
}
