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

    @Test
    void accountIdsThatCouldEscapeThePeerUrlAreRefused() {
        for (String bad : new String[] {"../admin", "bob?x=1", "bob smith", ""}) {
            given().contentType(ContentType.JSON)
                    .body(Map.of("fromAccount", "alice", "toBank", "bank-z", "toAccount", bad, "amount", 5))
                    .post("/transfers").then().statusCode(400).contentType("application/problem+json")
                    .body("detail", containsString("toAccount"));
        }
    }
}
