package dev.verdict.coordinator.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Alerts by webhook, end to end: real transactions left in doubt by a real participant that
 * refuses phase 2, a real receiver on a loopback port checking every signature, and the node's
 * gauges read from /q/metrics. In-doubt after 1 s, backlog threshold 1, retries from 50 ms.
 */
@QuarkusTest
@TestProfile(AlertWebhookTest.Webhooks.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlertWebhookTest {

    public static class Webhooks implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String base = "http://127.0.0.1:" + AlertReceiver.port();
            return Map.of("verdict.alerts.webhooks", base + "/alerts," + base + "/flaky",
                    "verdict.alerts.secret", AlertReceiver.SECRET,
                    "verdict.alerts.in-doubt-after", "1s",
                    "verdict.alerts.backlog-threshold", "1",
                    "verdict.alerts.retry-initial", "50ms",
                    "verdict.alerts.retry-max", "200ms");
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    ObjectMapper json;

    @Inject
    MeterRegistry registry;

    @Inject
    io.agroal.api.AgroalDataSource db;

    AlertReceiver receiver;
    Vertx vertx;
    ScriptedParticipant a;
    ScriptedParticipant b;

    @BeforeAll
    void start() throws Exception {
        RestAssured.replaceFiltersWith(TestKeys.unlessSaid(TestKeys.ADMIN));
        receiver = new AlertReceiver();
        vertx = Vertx.vertx();
        a = new ScriptedParticipant(vertx, "alert-a");
        b = new ScriptedParticipant(vertx, "alert-b");
    }

    @BeforeEach
    void register() {
        for (ScriptedParticipant p : List.of(a, b)) {
            given().contentType(ContentType.JSON).body(Map.of("callbackUrl", p.callbackUrl(), "callbackSecret", p.secret))
                    .put("/participants/" + p.name).then().statusCode(org.hamcrest.Matchers.anyOf(equalTo(200), equalTo(201)));
        }
    }

    @AfterAll
    void stop() throws Exception {
        RestAssured.replaceFiltersWith(List.of());
        receiver.close();
        a.close();
        b.close();
        vertx.close();
    }

    @Test
    void inDoubtAndBacklogAlertsAreSignedSentOnceRetriedAndResolved() throws Exception {
        String first = inDoubt();
        String second = inDoubt();

        // Earlier test classes may have left transactions in this database: only this test's own are looked at.
        await().atMost(WAIT).until(() -> about(alerts("/alerts", "in-doubt"), first, second).size() == 2
                && !alerts("/alerts", "backlog").isEmpty());
        JsonNode alert = alerts("/alerts", "in-doubt").stream().filter(n -> n.get("transactionId").asText().equals(first))
                .findFirst().orElseThrow();
        assertTrue(alert.get("ageMs").asLong() >= 1_000, alert.toString());
        assertEquals(List.of("alert", "transactionId", "ageMs", "at", "node", "coordinatorUrl"), fields(alert));
        assertTrue(alert.get("coordinatorUrl").asText().startsWith("http://127.0.0.1:"), alert.toString());
        Instant.parse(alert.get("at").asText());
        JsonNode backlog = alerts("/alerts", "backlog").get(0);
        assertEquals(b.name, backlog.get("participant").asText());
        assertEquals(2, backlog.get("backlog").asLong());

        // The gauges say the same, refreshed at every check.
        await().atMost(WAIT).untilAsserted(() -> {
            String metrics = metrics();
            assertTrue(gauge(metrics, "verdict_transactions_in_doubt{source=\"node\"}") >= 2, metrics);
            assertTrue(metrics.contains("verdict_participant_backlog{participant=\"alert-b\"} 2.0"), metrics);
        });
        assertTrue(registry.get("verdict.phase.duration").tag("phase", "decision").timer().count() >= 2);
        assertTrue(registry.get("verdict.phase.duration").tag("phase", "prepare").timer().count() >= 2);
        long phaseTwoBefore = registry.get("verdict.phase.duration").tag("phase", "phase2").timer().count();

        // The flaky receiver refused the first two deliveries; retries got the alerts there too.
        await().atMost(WAIT).until(() -> about(alerts("/flaky", "in-doubt"), first, second).size() == 2);
        assertTrue(registry.get("verdict.alert.deliveries").tag("result", "retried").counter().count()
                >= AlertReceiver.FLAKY_FAILURES);

        b.failPhaseTwo(first, 0);
        b.failPhaseTwo(second, 0);
        await().atMost(WAIT).until(() -> !alerts("/alerts", "backlog-resolved").isEmpty());
        await().atMost(WAIT).until(() -> registry.get("verdict.phase.duration").tag("phase", "phase2").timer().count()
                >= phaseTwoBefore + 2); // both phase-2 rounds timed once they end
        assertTrue(alerts("/alerts", "backlog-resolved").get(0).get("backlog").asLong() <= 1, "back at the threshold or below");
        for (String tx : List.of(first, second)) {
            assertEquals(1, alerts("/alerts", "in-doubt").stream().filter(n -> n.get("transactionId").asText().equals(tx))
                    .count(), "one alert per transaction, however many checks saw it in doubt");
        }
        assertEquals(1, alerts("/alerts", "backlog").size(), "one alert per crossing");
        assertTrue(receiver.received.stream().allMatch(AlertReceiver.Alert::signed), "every alert signed with the secret");
    }

    @Test
    void aHeuristicOutcomeIsAlertedOnce() throws Exception {
        String tx = begin(a.name, b.name);
        b.reportPhaseTwo(tx, "ROLLED_BACK"); // told to commit, it rolled back: a heuristic outcome
        given().post("/transactions/" + tx + "/commit").then().statusCode(200);
        await().atMost(WAIT).until(() -> alerts("/alerts", "heuristic").stream()
                .anyMatch(n -> n.get("transactionId").asText().equals(tx)));
        Thread.sleep(600); // three more checks: none may repeat it (a bound in time, not a wait for correctness)
        assertEquals(1, alerts("/alerts", "heuristic").stream().filter(n -> n.get("transactionId").asText().equals(tx)).count());
        // The gauge counts the whole log's unacknowledged heuristic outcomes (other tests' too): it must match the table.
        await().atMost(WAIT).untilAsserted(() -> assertEquals((double) unacknowledgedHeuristics(),
                gauge(metrics(), "verdict_transactions_in_doubt{source=\"log\"}"), "the log's unacknowledged heuristic outcomes"));
        assertTrue(unacknowledgedHeuristics() >= 1);
    }

    /** A committed transaction whose second participant refuses phase 2 until told otherwise. */
    private String inDoubt() {
        String tx = begin(a.name, b.name);
        b.failPhaseTwo(tx, 1_000_000);
        given().post("/transactions/" + tx + "/commit").then().statusCode(200).body("outcome", equalTo("COMMITTED"));
        return tx;
    }

    private String begin(String... participants) {
        String tx = given().contentType(ContentType.JSON).body(Map.of("timeoutMs", 30_000)).post("/transactions")
                .then().statusCode(201).extract().header("Verdict-Transaction");
        for (String p : participants) {
            given().contentType(ContentType.JSON).body(Map.of("participant", p)).post("/transactions/" + tx + "/branches")
                    .then().statusCode(200);
        }
        return tx;
    }

    private List<JsonNode> alerts(String path, String kind) {
        return receiver.at(path).stream().map(a -> {
            try {
                return json.readTree(a.body());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).filter(n -> n.get("alert").asText().equals(kind))
                .filter(n -> !n.has("participant") || n.get("participant").asText().startsWith("alert-")).toList();
    }

    private static List<JsonNode> about(List<JsonNode> alerts, String... transactions) {
        List<String> ids = List.of(transactions);
        return alerts.stream().filter(n -> ids.contains(n.get("transactionId").asText())).toList();
    }

    private static String metrics() {
        return given().header("Authorization", TestKeys.OPERATOR).get("/q/metrics").then().statusCode(200).extract().asString();
    }

    private long unacknowledgedHeuristics() throws java.sql.SQLException {
        return new LogFixture(db).count("select count(*) from transaction_log where state = 'HEURISTIC' and acknowledged_at is null");
    }

    /** A sample's value in Prometheus' text format; NaN when the series is not there. */
    private static double gauge(String metrics, String series) {
        return metrics.lines().filter(l -> l.startsWith(series + " ")).mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1)))
                .findFirst().orElse(Double.NaN);
    }

    private static List<String> fields(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
