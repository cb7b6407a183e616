package dev.verdict.participant.kit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The transaction header travels on a service's REST-client calls with no code in the service. */
@QuarkusTest
class PropagationTest {

    @Test
    void aCallMadeWhileWorkingInATransactionCarriesItsHeader() {
        given().post("/probe/in/t0123.abc").then().statusCode(200).body(equalTo("t0123.abc"));
    }

    @Test
    void aCallMadeOutsideATransactionCarriesNone() {
        given().post("/probe/outside").then().statusCode(200).body(equalTo("none"));
    }
}
