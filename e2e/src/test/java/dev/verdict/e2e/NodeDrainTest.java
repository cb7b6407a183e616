package dev.verdict.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verdict.e2e.faults.LinkProxy.Fault;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A node stopped on purpose (SIGTERM, as Kubernetes stops a pod): it refuses new transactions and
 * reports not ready at once, finishes what it holds while it can, and then marks itself gone, so
 * that another node takes over what is left at its next heartbeat, not after the node timeout.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeDrainTest extends FaultWorld {

    @Override
    String workName() {
        return "drain";
    }

    @Test
    @Order(19)
    void case19_aStoppedNodeRefusesNewTransactionsAndFinishesTheOnesItHoldsBeforeItLeaves() throws Exception {
        Money before = money();
        Service peer = startPeer();
        try {
            linkB.on("commit", Fault.HOLD);
            String decided = beginWithWork(Direction.A_TO_B, 30);
            commitAsync(decided).get().then().statusCode(200); // decided; its commit to bank-b is held
            String open = beginWithWork(Direction.B_TO_A, 20); // begun, its commit not asked for yet
            await().atMost(PATIENCE).until(() -> linkB.heldCount() == 1);

            coordinator.terminate();
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50)).until(() -> !coordinator.ready());
            assertTrue(coordinator.isAlive(), "still draining: it holds a transaction whose phase 2 is not done");
            Response refused = given().contentType(ContentType.JSON).body(Map.of("timeoutMs", 10_000))
                    .post(coordinator.url() + "/transactions");
            refused.then().statusCode(503).header("Retry-After", notNullValue())
                    .body("type", containsString("node-not-ready"));
            // A transaction it already holds can still be committed: a client's work is not thrown away.
            commitAsync(open).get().then().statusCode(200).body("state", equalTo("COMMITTING"));

            linkB.heal().release();
            assertTrue(coordinator.awaitExit(Duration.ofSeconds(20)), "it left once everything it held was done");
            for (String tx : List.of(decided, open)) {
                // Until the peer's next heartbeat it may still relay to the node that left: 503, retried.
                await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).until(() ->
                        "COMMITTED".equals(given().get(peer.url() + "/transactions/" + tx).jsonPath().getString("state")));
                JsonPath history = given().get(peer.url() + "/transactions/" + tx + "/history").then().statusCode(200)
                        .extract().jsonPath();
                assertEquals("c1", history.getString("entries.find { it.kind == 'STATE_CHANGED' && it.detail.to == 'COMMITTED' }.node"),
                        "the node that held it recorded its end (its history was stored before it exited)");
                assertEquals(List.of(), history.getList("entries.findAll { it.kind == 'TAKEN_OVER' }"),
                        tx + " was finished by the node that held it, nobody took it over");
            }
            awaitSettled(before.moved(Direction.A_TO_B, 30).moved(Direction.B_TO_A, 20), peer.url());
        } finally {
            linkB.heal().dropHeld();
            peer.stop();
            coordinator.start();
        }
    }

    @Test
    @Order(20)
    void case20_aNodeThatCannotFinishBeforeItsDrainTimeoutLeavesAndAnotherTakesOverAtOnce() throws Exception {
        Money before = money();
        coordinator.stop();
        coordinator.start("verdict.recovery.drain-timeout=1s");
        Service peer = startPeer();
        try {
            linkB.on("commit", Fault.HOLD);
            String tx = beginWithWork(Direction.A_TO_B, 40);
            commitAsync(tx).get().then().statusCode(200);
            await().atMost(PATIENCE).until(() -> linkB.heldCount() == 1);
            String incarnation = incarnationOf(coordinator);

            Instant terminated = Instant.now();
            coordinator.terminate();
            assertTrue(coordinator.awaitExit(Duration.ofSeconds(20)), "it left after its drain timeout");
            linkB.heal().dropHeld(); // the commit it sent never arrives; the node that takes over sends its own

            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).until(() ->
                    "COMMITTED".equals(given().get(peer.url() + "/transactions/" + tx).jsonPath().getString("state")));
            // History is stored behind the hot path, a batch every 200 ms: wait for the takeover's entry.
            JsonPath history = await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).until(
                    () -> given().get(peer.url() + "/transactions/" + tx + "/history").jsonPath(),
                    h -> h.getString("entries.find { it.kind == 'TAKEN_OVER' }.at") != null);
            Instant takenOver = Instant.parse(history.getString("entries.find { it.kind == 'TAKEN_OVER' }.at"));
            assertEquals("c2", history.getString("entries.find { it.kind == 'TAKEN_OVER' }.node"));
            Instant left = diedAt(incarnation);
            long afterLeaving = Duration.between(left, takenOver).toMillis();
            System.out.printf("takeover after SIGTERM: node left %d ms after the signal (drain timeout 1 s); taken"
                    + " over %d ms after it left (heartbeat interval 300 ms, node timeout 3 s)%n",
                    Duration.between(terminated, left).toMillis(), afterLeaving);
            assertTrue(afterLeaving < 1_500, "taken over at the next heartbeat, well before the node timeout: "
                    + afterLeaving + " ms");
            assertFalse(linkB.senders("commit", tx).isEmpty(), "bank-b heard the commit from the node that took over");
            awaitSettled(before.moved(Direction.A_TO_B, 40), peer.url());
        } finally {
            linkB.heal().dropHeld();
            peer.stop();
            coordinator.start();
        }
    }

    /** When a node's incarnation was marked gone, by the database's clock. */
    private Instant diedAt(String incarnation) throws Exception {
        try (Connection c = DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
             PreparedStatement s = c.prepareStatement("select died_at from coordinator_node where node_id = ?")) {
            s.setString(1, incarnation);
            try (ResultSet r = s.executeQuery()) {
                assertTrue(r.next(), "node " + incarnation + " is registered");
                return r.getTimestamp(1).toInstant();
            }
        }
    }
}
