package dev.verdict.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The sample banks as the end-to-end tests use them: their settings, their start beside a coordinator, their accounts. */
final class Banks {

    private Banks() {}

    /** Bank {@code name} talking to the coordinator at {@code coordinatorUrl}, asking about silent transactions quickly. */
    static Map<String, String> settings(String name, String coordinatorUrl) {
        Map<String, String> p = new HashMap<>();
        p.put("verdict.participant.name", name);
        p.put("verdict.participant.coordinator-url", coordinatorUrl);
        p.put("verdict.participant.ask-after", "2s");
        p.put("verdict.participant.ask-every", "1s");
        return p;
    }

    /** Each may credit the other in a transfer. */
    static void peers(Service bankA, Service bankB) {
        bankA.properties().put("bank.peers", "bank-b=" + bankB.url());
        bankB.properties().put("bank.peers", "bank-a=" + bankA.url());
    }

    /** Starts the coordinator, then the banks, and waits until every bank has registered. */
    static void start(Service coordinator, Service... banks) throws Exception {
        coordinator.start();
        for (Service bank : banks) {
            bank.start();
        }
        await().atMost(Duration.ofSeconds(30)).until(() ->
                given().get(coordinator.url() + "/participants").jsonPath().getList("name").size() == banks.length);
    }

    static void open(Service bank, String account, long balance) {
        given().contentType(ContentType.JSON).body(Map.of("id", account, "balance", balance))
                .post(bank.url() + "/accounts").then().statusCode(201);
    }

    static long balance(Service bank, String account) {
        return given().get(bank.url() + "/accounts/" + account).then().statusCode(200).extract().jsonPath().getLong("balance");
    }
}
