package dev.verdict.coordinator.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The coordinator's API against a real PostgreSQL and real HTTP participants. */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CoordinatorApiTest {

    private static final String PROBLEM = "application/problem+json";

    private TwoParticipants participants;
    ScriptedParticipant a;
    ScriptedParticipant b;
    /** For the participants a test starts itself, on the same event loops. */
    Vertx vertx;

    @jakarta.inject.Inject
    dev.verdict.coordinator.support.ShiftableClock clock;

    @BeforeAll
    void participants() throws Exception {
        // Everything here is asked as an admin; AccessRulesTest covers who else may ask what.
        participants = new TwoParticipants("it", TestKeys.ADMIN);
        a = participants.a;
        b = participants.b;
        vertx = participants.vertx;
    }

    @BeforeEach
    void register() {
        participants.register();
    }

    @AfterAll
    void stop() throws Exception {
        participants.close();
    }

    @Test
    void twoParticipantsPrepareThenCommit() {
        String tx = begin(30_000, a.name, b.name);
        commit(tx).then().statusCode(200).body("outcome", equalTo("COMMITTED"));
        awaitState(tx, "COMMITTED");
        assertEquals(List.of("prepare", "commit"), a.callsFor(tx));
        assertEquals(List.of("prepare", "commit"), b.callsFor(tx));
        assertEquals(List.of(), a.refused, "every call signed with the secret a registered");
        assertEquals(List.of(), b.refused);
    }

    /** The test profile trusts tls/trusted.crt only (verdict.tls.trust-certs). */
    @Test
    void httpsParticipantsAreCalledWhenTheirCertificateIsTrustedAndNeverOtherwise() throws Exception {
        try (ScriptedParticipant secure = new ScriptedParticipant(vertx, "it-tls", "trusted");
             ScriptedParticipant stranger = new ScriptedParticipant(vertx, "it-tls-stranger", "untrusted")) {
            register(secure.name, secure.callbackUrl(), secure.secret).then().statusCode(anyOf201or200());
            register(stranger.name, stranger.callbackUrl(), stranger.secret).then().statusCode(anyOf201or200());

            String trusted = begin(30_000, a.name, secure.name);
            commit(trusted).then().statusCode(200).body("outcome", equalTo("COMMITTED"));
            awaitState(trusted, "COMMITTED");
            assertEquals(List.of("prepare", "commit"), secure.callsFor(trusted));

            String untrusted = begin(30_000, a.name, stranger.name);
            commit(untrusted).then().statusCode(409).body("reason", containsString(stranger.name));
            assertEquals(List.of(), stranger.calls, "no request reaches a server whose certificate is not trusted");
        }
    }

    @Test
    void anAbortVoteRollsBackAndOnlyPreparedParticipantsHearIt() {
        String tx = begin(30_000, a.name, b.name);
        b.vote(tx, "ABORT");
        commit(tx).then().statusCode(409).contentType(PROBLEM)
                .body("type", containsString("transaction-rolled-back"))
                .body("outcome", equalTo("ROLLED_BACK"))
                .body("reason", containsString("it-b voted ABORT"));
        awaitState(tx, "ROLLED_BACK");
        assertEquals(List.of("prepare", "rollback"), a.callsFor(tx));
        assertEquals(List.of("prepare"), b.callsFor(tx));
    }

    @Test
    void garbageAtPrepareIsAnAbort() {
        String tx = begin(30_000, a.name, b.name);
        b.vote(tx, "!<html>surprise</html>");
        commit(tx).then().statusCode(409).body("reason", containsString("invalid reply to prepare"));
        awaitState(tx, "ROLLED_BACK");
        assertTrue(b.callsFor(tx).contains("rollback"), "a participant that answered garbage may have prepared");
    }

    @Test
    void aParticipantThatNeverAnswersPrepareIsTimedOutAndRolledBack() {
        String tx = begin(30_000, a.name, b.name);
        b.vote(tx, "HANG");
        long started = System.nanoTime();
        commit(tx).then().statusCode(409).body("reason", containsString("no reply within 1000 ms"));
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertTrue(tookMs < 5_000, "the prepare timeout (1 s in tests) bounds the wait, took " + tookMs + " ms");
        awaitState(tx, "ROLLED_BACK");
        assertEquals(List.of("prepare", "rollback"), a.callsFor(tx));
        // The same participant keeps working afterwards: the stuck connection was not reused.
        String next = begin(30_000, a.name, b.name);
        commit(next).then().statusCode(200);
    }

    @Test
    void oneParticipantCommitsInOnePhase() {
        String tx = begin(30_000, a.name);
        commit(tx).then().statusCode(200).body("outcome", equalTo("COMMITTED")).body("state", equalTo("COMMITTED"));
        assertEquals(List.of("commit-one-phase"), a.callsFor(tx));
    }

    @Test
    void readOnlyVotersHearNothingMore() {
        String tx = begin(30_000, a.name, b.name);
        a.vote(tx, "READ_ONLY");
        commit(tx).then().statusCode(200);
        awaitState(tx, "COMMITTED");
        assertEquals(List.of("prepare"), a.callsFor(tx));
        assertEquals(List.of("prepare", "commit"), b.callsFor(tx));
    }

    @Test
    void phaseTwoFailuresAreRetriedUntilAcknowledged() {
        String tx = begin(30_000, a.name, b.name);
        b.failPhaseTwo(tx, 3);
        commit(tx).then().statusCode(200).body("outcome", equalTo("COMMITTED"));
        awaitState(tx, "COMMITTED");
        assertEquals(List.of("prepare", "commit", "commit", "commit", "commit"), b.callsFor(tx));
        get(tx).then().body("branches.find { it.participant == 'it-b' }.state", equalTo("COMMITTED"));
    }

    @Test
    void aContraryOutcomeFromAParticipantIsRecordedAsHeuristicAndShown() {
        String tx = begin(30_000, a.name, b.name);
        b.reportPhaseTwo(tx, "ROLLED_BACK");
        commit(tx).then().statusCode(200).body("outcome", equalTo("COMMITTED"));
        awaitState(tx, "HEURISTIC");
        get(tx).then().body("outcome", equalTo("COMMITTED"))
                .body("branches.find { it.participant == 'it-b' }.state", equalTo("HEURISTIC_ROLLBACK"));
        // Its completion is written with the next log group: the log's part of the status shows it then.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/status").then()
                .body("inDoubt.id", hasItem(tx)).body("counts.HEURISTIC", greaterThan(0)));
        rollback(tx).then().statusCode(409).body("type", containsString("transaction-committed"));
    }

    @Test
    void anUndecidedTransactionTimesOutAndRollsBack() {
        String tx = begin(300, a.name, b.name);
        awaitState(tx, "ROLLED_BACK");
        get(tx).then().body("reason", containsString("timed out"));
        assertEquals(List.of("rollback"), a.callsFor(tx));
        commit(tx).then().statusCode(409).body("outcome", equalTo("ROLLED_BACK"));
    }

    @Test
    void repeatedAndConcurrentCommandsAllReportTheOneOutcome() throws Exception {
        for (int round = 0; round < 5; round++) {
            String tx = begin(30_000, a.name, b.name);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Callable<Response>> calls = List.of(() -> commit(tx), () -> commit(tx), () -> rollback(tx), () -> commit(tx));
                Set<String> outcomes = pool.invokeAll(calls).stream().map(CoordinatorApiTest::outcomeOf)
                        .collect(Collectors.toSet());
                assertEquals(1, outcomes.size(), "one outcome, reported alike to every caller: " + outcomes);
                String outcome = outcomes.iterator().next();
                awaitState(tx, outcome);
                assertEquals(outcome, get(tx).jsonPath().getString("outcome"));
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void participantsAskForOutcomesWithPresumedAbort() {
        given().get("/transactions/never.heard.of.it/outcome").then().statusCode(200).body("outcome", equalTo("ROLLED_BACK"));
        String tx = begin(30_000, a.name, b.name);
        given().get("/transactions/" + tx + "/outcome").then().body("outcome", equalTo("PENDING"));
        commit(tx).then().statusCode(200);
        given().get("/transactions/" + tx + "/outcome").then().body("outcome", equalTo("COMMITTED"));
    }

    @Test
    void clockJumpsNeitherFireNorStallTimeoutsAndRetries() {
        String undecided = begin(10_000, a.name, b.name);
        String decided = begin(60_000, a.name, b.name);
        b.failPhaseTwo(decided, 1_000_000);
        commit(decided).then().statusCode(200).body("outcome", equalTo("COMMITTED"));
        try {
            clock.jump(Duration.ofHours(2)); // timers count elapsed time: the wall clock cannot fire them
            assertEquals("ACTIVE", get(undecided).jsonPath().getString("state"), "2 h on the wall clock is not 10 s elapsed");
            // I7: the decided one keeps retrying phase 2 and never rolls back, however late it seems.
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                    .until(() -> "COMMITTING".equals(get(decided).jsonPath().getString("state")));
            await().atMost(Duration.ofSeconds(60)).until(() -> "ROLLED_BACK".equals(get(undecided).jsonPath()
                    .getString("state"))); // at its own timeout, 10 s after it began
            get(undecided).then().body("reason", containsString("timed out"));

            clock.jump(Duration.ofHours(-4)); // back: retries are not pushed hours away
            b.failPhaseTwo(decided, 0);
            awaitState(decided, "COMMITTED"); // I4: still driven to completion
        } finally {
            clock.reset();
        }
    }

    @Test
    void statusListsInDoubtTransactionsWithTheirLastError() {
        String tx = begin(30_000, a.name, b.name);
        b.failPhaseTwo(tx, 1_000_000);
        commit(tx).then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/status").then()
                .body("inDoubt.id", hasItem(tx))
                .body("inDoubt.find { it.id == '" + tx + "' }.branches.find { it.participant == 'it-b' }.attempts", greaterThan(1))
                .body("inDoubt.find { it.id == '" + tx + "' }.branches.find { it.participant == 'it-b' }.lastError",
                        containsString("HTTP 500"))
                .body("oldestInDoubtAgeMs", not(equalTo(null))));
        given().delete("/participants/" + b.name).then().statusCode(409).contentType(PROBLEM)
                .body("type", containsString("participant-busy"));
        b.failPhaseTwo(tx, 0);
        awaitState(tx, "COMMITTED");
    }

    @Test
    void readinessReportsTheLogAndRecovery() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'transaction-log' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'transaction-log' }.data.recovered", equalTo(true)));
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void registrationIsValidatedAndIdempotent() {
        register("Bad Name!", "http://127.0.0.1:1/x").then().statusCode(400).contentType(PROBLEM);
        register("ok-name", "ftp://127.0.0.1/x").then().statusCode(400).body("detail", containsString("http"));
        register("ok-name", "http://127.0.0.1:1/x?steal=1").then().statusCode(400);
        register("ok-name", null).then().statusCode(400).body("detail", containsString("callbackUrl"));
        register("ok-name", "http://127.0.0.1:1/x", null).then().statusCode(400).body("detail", containsString("callbackSecret"));
        // Metadata services, however spelled or resolved, are refused before anything is stored or called.
        for (String ssrf : List.of("http://169.254.169.254/latest", "http://2852039166/x", "http://[::ffff:169.254.169.254]/x",
                "http://metadata.google.internal/computeMetadata", "http://[fe80::1]:8080/x")) {
            register("ssrf-probe", ssrf).then().statusCode(422).contentType(PROBLEM)
                    .body("type", containsString("callback-host-not-allowed"));
        }
        given().get("/participants/ssrf-probe").then().statusCode(404);
        register("ok-name", "http://127.0.0.1:1/x", "dG9vLXNob3J0").then().statusCode(400)
                .body("detail", containsString("at least 32"));
        register("tmp-p", "http://127.0.0.1:1/v").then().statusCode(201).body("$", not(org.hamcrest.Matchers.hasKey("callbackSecret")));
        register("tmp-p", "http://127.0.0.1:2/v").then().statusCode(200).body("callbackUrl", equalTo("http://127.0.0.1:2/v"));
        given().get("/participants/tmp-p").then().statusCode(200);
        given().delete("/participants/tmp-p").then().statusCode(204);
        given().get("/participants/tmp-p").then().statusCode(404).contentType(PROBLEM);
    }

    @Test
    void badInputGetsAProblemAndChangesNothing() {
        String tx = begin(30_000, a.name);
        String before = get(tx).asString();
        enlist(tx, "{\"participant\":").then().statusCode(400).contentType(PROBLEM).body("type", containsString("malformed-json"));
        enlist(tx, "{\"participant\":\"nobody\"}").then().statusCode(422).body("type", containsString("participant-not-registered"));
        enlist(tx, "{}").then().statusCode(400);
        given().contentType(ContentType.JSON).body("{\"timeoutMs\":-5}").post("/transactions").then().statusCode(400);
        given().contentType(ContentType.JSON).body("{\"timeoutMs\":\"soon\"}").post("/transactions").then().statusCode(400)
                .contentType(PROBLEM);
        given().contentType(ContentType.TEXT).body("x").post("/transactions/" + tx + "/branches").then().statusCode(415)
                .contentType(PROBLEM);
        given().contentType(ContentType.JSON).body("{\"participant\":\"" + "x".repeat(70_000) + "\"}")
                .post("/transactions/" + tx + "/branches").then().statusCode(413).contentType(PROBLEM);
        assertEquals(before, get(tx).asString(), "rejected requests must not change the transaction");

        given().get("/transactions/nope").then().statusCode(404).contentType(PROBLEM).body("transactionId", equalTo("nope"));
        commit("nope").then().statusCode(404).contentType(PROBLEM);
        given().get("/no/such/path").then().statusCode(404).contentType(PROBLEM);

        commit(tx).then().statusCode(200);
        enlist(tx, "{\"participant\":\"" + b.name + "\"}").then().statusCode(409).body("type", containsString("transaction-not-active"));
        rollback(tx).then().statusCode(409).body("type", containsString("transaction-committed"));

        String rolledBack = begin(30_000, a.name);
        rollback(rolledBack).then().statusCode(200).body("outcome", equalTo("ROLLED_BACK"));
        commit(rolledBack).then().statusCode(409).body("type", containsString("transaction-rolled-back"))
                .body(not(containsString("Exception")));
    }

    // --- helpers -----------------------------------------------------------------------------

    private static org.hamcrest.Matcher<Integer> anyOf201or200() {
        return org.hamcrest.Matchers.anyOf(equalTo(200), equalTo(201));
    }

    private static final String SECRET = dev.verdict.protocol.CallbackSignature.newSecret();

    private static Response register(String name, String url) {
        return register(name, url, SECRET);
    }

    private static Response register(String name, String url, String secret) {
        Map<String, String> body = new java.util.HashMap<>();
        if (url != null) {
            body.put("callbackUrl", url);
        }
        if (secret != null) {
            body.put("callbackSecret", secret);
        }
        return given().contentType(ContentType.JSON).body(body).put("/participants/" + name);
    }

    private static String begin(long timeoutMs, String... participants) {
        String tx = given().contentType(ContentType.JSON).body(Map.of("timeoutMs", timeoutMs)).post("/transactions")
                .then().statusCode(201).extract().header("Verdict-Transaction");
        for (String p : participants) {
            enlist(tx, "{\"participant\":\"" + p + "\"}").then().statusCode(200);
        }
        return tx;
    }

    private static Response enlist(String tx, String body) {
        return given().contentType(ContentType.JSON).body(body).post("/transactions/" + tx + "/branches");
    }

    private static Response commit(String tx) {
        return given().post("/transactions/" + tx + "/commit");
    }

    private static Response rollback(String tx) {
        return given().post("/transactions/" + tx + "/rollback");
    }

    private static Response get(String tx) {
        return given().get("/transactions/" + tx);
    }

    private static void awaitState(String tx, String state) {
        await().atMost(Duration.ofSeconds(10)).until(() -> state.equals(get(tx).jsonPath().getString("state")));
    }

    private static String outcomeOf(Future<Response> f) {
        try {
            Response r = f.get();
            if (r.statusCode() == 409) {
                return r.jsonPath().getString("outcome");
            }
            assertEquals(200, r.statusCode(), r.asString());
            return r.jsonPath().getString("outcome");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
