package dev.verdict.coordinator.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Operator actions, history and audit (docs/operator-api.md) against real PostgreSQL and real HTTP
 * participants: every action and its refusals, and that a refusal changes and records nothing.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperatorApiTest {

    private static final String PROBLEM = "application/problem+json";

    TwoParticipants participants;
    ScriptedParticipant a;
    ScriptedParticipant b;

    @Inject
    AgroalDataSource db;

    @BeforeAll
    void participants() throws Exception {
        participants = new TwoParticipants("op", TestKeys.OPERATOR);
        a = participants.a;
        b = participants.b;
    }

    @BeforeEach
    void register() {
        participants.register();
        for (ScriptedParticipant p : List.of(a, b)) {
            act("/participants/" + p.name + "/actions/resume", Map.of("reason", "test start")).then().statusCode(200);
        }
    }

    @AfterAll
    void stop() throws Exception {
        participants.close();
    }

    @Test
    void aBranchWhoseParticipantIsGoneIsResolvedByHandAndTheDecisionNeverChanges() {
        String tx = begin(a.name, b.name);
        b.failPhaseTwo(tx, 1_000_000);
        commit(tx).then().statusCode(200).body("outcome", equalTo("COMMITTED"));
        await().atMost(Duration.ofSeconds(10)).until(() -> branch(tx, b.name).getInt("attempts") >= 2);

        act(tx, "resolve-branch", Map.of("participant", b.name, "applied", "COMMITTED")).then().statusCode(400)
                .contentType(PROBLEM).body("detail", containsString("reason"));
        act(tx, "resolve-branch", Map.of("participant", b.name, "applied", "ROLLED_BACK", "reason", "wrong"))
                .then().statusCode(409).contentType(PROBLEM).body("detail", containsString("never changes"));
        act(tx, "resolve-branch", Map.of("participant", a.name, "applied", "COMMITTED", "reason", "a answered"))
                .then().statusCode(409).contentType(PROBLEM);
        given().header("Authorization", TestKeys.CLIENT).contentType(ContentType.JSON)
                .body(Map.of("participant", b.name, "applied", "COMMITTED", "reason", "not mine"))
                .post("/transactions/" + tx + "/actions/resolve-branch").then().statusCode(403);
        assertEquals("COMMITTING", get(tx).getString("state"), "refusals change nothing");
        assertEquals(0, audit("?transaction=" + tx).getList("items").size(), "refusals are not recorded as actions");

        act(tx, "resolve-branch", Map.of("participant", b.name, "applied", "COMMITTED", "reason", "applied by hand, OPS-12"))
                .then().statusCode(200).body("transaction.state", equalTo("COMMITTED"))
                .body("audit.action", equalTo("RESOLVE_BRANCH")).body("audit.reason", equalTo("applied by hand, OPS-12"));
        assertEquals("RESOLVED", branch(tx, b.name).getString("state"));
        // Heartbeats (test: every 200 ms) scan for this node's unfinished rows; the completion is
        // written lazily, and the finished transaction must not be driven again from the log's copy.
        await("I7: a finished transaction stays finished").during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                .until(() -> "COMMITTED".equals(get(tx).getString("state"))
                        && "RESOLVED".equals(branch(tx, b.name).getString("state")));
        JsonPath entry = audit("?transaction=" + tx);
        assertEquals(List.of("RESOLVE_BRANCH"), entry.getList("items.action"));
        assertEquals("key:operator", entry.getString("items[0].actor"));
        assertEquals("COMMITTED", entry.getString("items[0].detail.applied"));

        await().atMost(Duration.ofSeconds(5)).until(() -> kinds(tx).contains("OPERATOR_ACTION")
                && kinds(tx).get(kinds(tx).size() - 1).equals("STATE_CHANGED"));
        List<String> kinds = kinds(tx);
        assertEquals(List.of("BEGUN", "ENLISTED", "ENLISTED"), kinds.subList(0, 3));
        assertTrue(kinds.contains("DELIVERY_FAILED"), "failed deliveries are in the history: " + kinds);
        JsonPath history = history(tx);
        int action = kinds.indexOf("OPERATOR_ACTION");
        assertEquals("applied by hand, OPS-12", history.getString("entries[" + action + "].detail.reason"));
        assertEquals("RESOLVE_BRANCH", history.getString("entries[" + action + "].detail.action"));
        assertEquals("COMMITTED", history.getString("entries[" + (kinds.size() - 1) + "].detail.to"));
    }

    @Test
    void anUndecidedTransactionIsRolledBackWithTheOperatorsReasonOnce() {
        String tx = begin(a.name);
        act(tx, "rollback", Map.of()).then().statusCode(400);
        act(tx, "rollback", Map.of("reason", "client vanished")).then().statusCode(200)
                .body("transaction.outcome", equalTo("ROLLED_BACK"))
                .body("transaction.reason", equalTo("rolled back by an operator: client vanished"));
        act(tx, "rollback", Map.of("reason", "again")).then().statusCode(409).contentType(PROBLEM);
        assertEquals(1, audit("?transaction=" + tx).getList("items").size());
    }

    @Test
    void aOnePhaseCommitIsTheParticipantsToDecideAndItsOutcomeIsRecorded() {
        String tx = begin(a.name);
        a.failPhaseTwo(tx, 1_000_000);
        given().header("Authorization", TestKeys.ADMIN).post("/transactions/" + tx + "/commit");
        await().atMost(Duration.ofSeconds(10)).until(() -> branch(tx, a.name).getInt("attempts") >= 1);
        act(tx, "rollback", Map.of("reason", "stuck")).then().statusCode(409).body("type", containsString("one-phase-delegated"));
        act(tx, "record-outcome", Map.of("outcome", "MAYBE", "reason", "checked")).then().statusCode(400);
        act(tx, "record-outcome", Map.of("outcome", "ROLLED_BACK", "reason", "checked its database: no row"))
                .then().statusCode(200).body("transaction.state", equalTo("ROLLED_BACK"));
    }

    @Test
    void aHeuristicOutcomeIsAcknowledgedOnceAndLeavesTheInDoubtList() {
        String tx = beginAs(TestKeys.CLIENT, a.name, b.name);
        b.reportPhaseTwo(tx, "ROLLED_BACK");
        commit(tx).then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> "HEURISTIC".equals(get(tx).getString("state")));
        await().atMost(Duration.ofSeconds(5)).until(() -> inDoubt().contains(tx)); // its completion is written lazily
        act(tx, "acknowledge", Map.of("reason", "")).then().statusCode(400);
        assertNull(get(tx).get("acknowledged"));
        act(tx, "acknowledge", Map.of("reason", "re-applied the credit at op-b by hand")).then().statusCode(200)
                .body("audit.action", equalTo("ACKNOWLEDGE"))
                .body("transaction.acknowledged.reason", equalTo("re-applied the credit at op-b by hand"));
        assertTrue(!inDoubt().contains(tx), "acknowledged: no longer in doubt");
        assertEquals("re-applied the credit at op-b by hand", get(tx).getString("acknowledged.reason"), "read back from the log");
        assertEquals("ACKNOWLEDGE", audit("?transaction=" + tx).getString("items[0].action"));
        assertEquals(audit("?transaction=" + tx).getString("items[0].actor"), get(tx).getString("acknowledged.by"));
        // The client that began it reads its outcome, not who acknowledged it or why.
        given().header("Authorization", TestKeys.CLIENT).get("/transactions/" + tx).then().statusCode(200)
                .body("state", equalTo("HEURISTIC")).body("acknowledged", nullValue());
        act(tx, "acknowledge", Map.of("reason", "twice")).then().statusCode(409);
    }

    @Test
    void pausedDeliveriesWaitWithoutCountingAttemptsAndResumeAtOnce() {
        String tx = begin(a.name, b.name);
        b.failPhaseTwo(tx, 1_000_000);
        commit(tx).then().statusCode(200);
        act("/participants/" + b.name + "/actions/pause", Map.of()).then().statusCode(400);
        act("/participants/" + b.name + "/actions/pause", Map.of("reason", "schema migration")).then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> branch(tx, b.name).getString("lastError") != null
                && branch(tx, b.name).getString("lastError").contains("paused"));
        int attempts = branch(tx, b.name).getInt("attempts");
        given().get("/participants/" + b.name).then().statusCode(200).body("paused.reason", equalTo("schema migration"))
                .body("backlog", equalTo(1));
        // Held through several retry delays (test max: 300 ms), counting no attempt.
        await("held deliveries count no attempt").during(Duration.ofMillis(1200)).atMost(Duration.ofSeconds(3))
                .until(() -> branch(tx, b.name).getInt("attempts") == attempts && "COMMITTING".equals(get(tx).getString("state")));

        b.failPhaseTwo(tx, 0); // back from maintenance
        act("/participants/" + b.name + "/actions/resume", Map.of("reason", "migration done")).then().statusCode(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> "COMMITTED".equals(get(tx).getString("state")));
        given().get("/participants/" + b.name).then().body("paused", nullValue()).body("backlog", equalTo(0));
        assertEquals(List.of("RESUME", "PAUSE"), audit("?participant=" + b.name + "&limit=2").getList("items.action"));
    }

    @Test
    void aPausedParticipantCannotVoteSoNewTransactionsRollBack() {
        act("/participants/" + b.name + "/actions/pause", Map.of("reason", "maintenance")).then().statusCode(200);
        String tx = begin(a.name, b.name);
        commit(tx).then().statusCode(409).body("reason", containsString("paused"));
    }

    @Test
    void unknownActionsAndIdsAreProblems() {
        act(begin(a.name), "explode", Map.of("reason", "x")).then().statusCode(404).contentType(PROBLEM);
        act("/participants/" + a.name + "/actions/explode", Map.of("reason", "x")).then().statusCode(404);
        act("/participants/nobody-here/actions/pause", Map.of("reason", "x")).then().statusCode(404);
    }

    @Test
    void theAuditLogIsAppendOnlyInTheDatabaseItself() throws SQLException {
        act("/participants/" + a.name + "/actions/retry", Map.of("reason", "audit me")).then().statusCode(200);
        try (Connection c = db.getConnection()) {
            assertThrows(SQLException.class, () -> c.createStatement().executeUpdate("update audit_log set reason = 'x'"));
            assertThrows(SQLException.class, () -> c.createStatement().executeUpdate("delete from audit_log"));
        }
        JsonPath page = audit("?limit=1");
        assertEquals(1, page.getList("items").size());
        String cursor = page.getString("nextCursor");
        assertTrue(cursor != null, "more than one entry, so a cursor");
        assertTrue(audit("?limit=1&cursor=" + cursor).getLong("items[0].id") < page.getLong("items[0].id"));
        given().get("/audit?since=yesterday").then().statusCode(400).contentType(PROBLEM);
    }

    private static Response act(String tx, String action, Map<String, ?> body) {
        return act("/transactions/" + tx + "/actions/" + action, body);
    }

    private static Response act(String path, Map<String, ?> body) {
        return given().contentType(ContentType.JSON).body(new HashMap<>(body)).post(path);
    }

    private static String begin(String... participants) {
        return beginAs(TestKeys.ADMIN, participants);
    }

    private static String beginAs(String client, String... participants) {
        String tx = given().header("Authorization", client).contentType(ContentType.JSON)
                .body(Map.of("timeoutMs", 30_000)).post("/transactions").then().statusCode(201).extract().header("Verdict-Transaction");
        for (String p : participants) {
            given().header("Authorization", TestKeys.ADMIN).contentType(ContentType.JSON)
                    .body(Map.of("participant", p)).post("/transactions/" + tx + "/branches").then().statusCode(200);
        }
        return tx;
    }

    private static Response commit(String tx) {
        return given().header("Authorization", TestKeys.ADMIN).post("/transactions/" + tx + "/commit");
    }

    private static JsonPath get(String tx) {
        return given().get("/transactions/" + tx).then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath branch(String tx, String participant) {
        JsonPath t = get(tx);
        int i = t.getList("branches.participant").indexOf(participant);
        return new JsonPath(t.prettify()).setRootPath("branches[" + i + "]");
    }

    private static JsonPath history(String tx) {
        return given().get("/transactions/" + tx + "/history").then().statusCode(200).extract().jsonPath();
    }

    private static List<String> kinds(String tx) {
        return history(tx).getList("entries.kind");
    }

    private static JsonPath audit(String query) {
        return given().get("/audit" + query).then().statusCode(200).extract().jsonPath();
    }

    private static List<String> inDoubt() {
        // Oldest first, and other test classes' in-doubt rows share the database: the list's longest page.
        return given().get("/status?limit=1000").then().statusCode(200).extract().jsonPath().getList("inDoubt.id");
    }
}
