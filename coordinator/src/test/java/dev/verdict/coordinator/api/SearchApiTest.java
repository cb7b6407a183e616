package dev.verdict.coordinator.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * GET /transactions (docs/operator-api.md) over the log and this node's memory: every filter, keyset
 * paging in both orders, bad parameters, who may search. Every transaction here has a participant
 * of this run's own, so other tests' transactions never get in the way.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchApiTest {

    @Inject
    AgroalDataSource db;

    final String p = "srch-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    final Instant now = Instant.now();
    String[] committed = new String[6];
    String heuristicOpen;
    String heuristicAcknowledged;
    String fence;
    String unfinished;
    String active;
    String shadowed;

    @BeforeAll
    void admin() {
        RestAssured.replaceFiltersWith(TestKeys.unlessSaid(TestKeys.ADMIN));
    }

    /** Once; in @BeforeAll the test HTTP port is not known yet. */
    @BeforeEach
    void fill() throws Exception {
        if (active != null) {
            return;
        }
        LogFixture log = new LogFixture(db);
        for (int i = 0; i < committed.length; i++) { // decided 6, 5, … 1 days ago
            Instant at = now.minus(Duration.ofDays(committed.length - i));
            committed[i] = LogFixture.id(at);
            log.row(committed[i], "COMMITTED", "COMMITTED", at.plusMillis(40), at.plusMillis(90), null, null, List.of(p, "bank-x"));
        }
        Instant hour = now.minus(Duration.ofHours(2));
        heuristicOpen = LogFixture.id(hour);
        log.row(heuristicOpen, "HEURISTIC", "COMMITTED", hour, hour, null, null, List.of(p));
        heuristicAcknowledged = LogFixture.id(hour.plusSeconds(1));
        log.row(heuristicAcknowledged, "HEURISTIC", "ROLLED_BACK", hour, hour, hour.plusSeconds(60), null, List.of(p));
        fence = LogFixture.id(hour.plusSeconds(2));
        log.row(fence, "ROLLED_BACK", "ROLLED_BACK", hour.plusSeconds(5), hour.plusSeconds(5), null, null, List.of(p));
        unfinished = LogFixture.id(hour.plusSeconds(3));
        // Owned by no live node: this node adopts it (memory) and keeps retrying; it stays COMMITTING either way.
        log.row(unfinished, "COMMITTING", "COMMITTED", hour.plusSeconds(3), null, null, null, List.of(p));
        given().contentType(ContentType.JSON).body(Map.of("callbackUrl", "http://127.0.0.1:9/v",
                "callbackSecret", dev.verdict.protocol.CallbackSignature.newSecret())).put("/participants/" + p);
        active = begin();
        shadowed = begin();
        // A stale row for a transaction this node holds: the copy in memory wins.
        log.row(shadowed, "COMMITTING", "COMMITTED", now, null, null, "someone-else", List.of(p));
    }

    /**
     * Leaves no row for the nodes of later test classes on this database: they would adopt the
     * unfinished ones and retry them forever (in-doubt transactions and a backlog not theirs).
     */
    @AfterAll
    void end() throws Exception {
        new LogFixture(db).update("delete from transaction_log where branches @> ?::jsonb",
                "[{\"participant\":\"" + p + "\"}]");
        RestAssured.replaceFiltersWith(List.of());
    }

    @Test
    void everyTransactionOfAParticipantNewestFirstMemoryWinning() {
        JsonPath page = search("participant=" + p);
        List<String> all = List.of(shadowed, active, unfinished, fence, heuristicAcknowledged, heuristicOpen,
                committed[5], committed[4], committed[3], committed[2], committed[1], committed[0]);
        assertEquals(all.stream().sorted(Comparator.reverseOrder()).toList(), page.getList("items.id"));
        assertEquals("ACTIVE", page.getString("items.find { it.id == '" + shadowed + "' }.state"), "memory wins over the log");
        assertNull(page.getString("nextCursor"), "a page that is not full is the last");
        assertEquals(Boolean.TRUE, page.getBoolean("nodes[0].answered"));
    }

    @Test
    void eachFilterSelectsWhatTheContractSays() {
        assertEquals(List.of(heuristicAcknowledged, heuristicOpen), ids("participant=" + p + "&state=HEURISTIC"));
        assertEquals(List.of(shadowed, active), ids("participant=" + p + "&state=ACTIVE"));
        assertEquals(sorted(List.of(unfinished, fence)), ids("participant=" + p + "&state=COMMITTING,ROLLED_BACK"));
        assertEquals(sorted(List.of(unfinished, fence)), ids("participant=" + p + "&state=COMMITTING&state=ROLLED_BACK"));
        assertEquals(sorted(List.of(unfinished, heuristicOpen)), ids("participant=" + p + "&inDoubt=true"));
        assertEquals(sorted(List.of(fence, heuristicAcknowledged)), ids("participant=" + p + "&outcome=ROLLED_BACK"));
        assertEquals(sorted(List.of(committed[0], committed[1], committed[2])), ids("participant=" + p + "&olderThan=80h"));
        assertEquals(sorted(List.of(committed[0], committed[1], committed[2])), ids("participant=" + p + "&olderThan=PT80H"));
        assertEquals(sorted(List.of(committed[0], committed[1])), ids("participant=" + p + "&olderThan=100h&state=COMMITTED"));
        assertEquals(List.of(committed[3]), ids("participant=" + p + "&decidedAfter=" + now.minus(Duration.ofHours(73))
                + "&decidedBefore=" + now.minus(Duration.ofHours(71))));
        assertTrue(ids("participant=" + p + "&outcome=COMMITTED&decidedAfter=" + now.minus(Duration.ofHours(3)))
                .containsAll(List.of(unfinished, heuristicOpen)));
        assertEquals(List.of(), ids("participant=nobody-" + p));
    }

    @Test
    void pagesFollowEachOtherInBothOrdersWithoutGapsOrRepeats() {
        List<String> newest = ids("participant=" + p);
        assertEquals(newest, walk("participant=" + p + "&limit=5"));
        List<String> oldest = new ArrayList<>(newest);
        oldest.sort(Comparator.naturalOrder());
        assertEquals(oldest, ids("participant=" + p + "&order=oldest"));
        assertEquals(oldest, walk("participant=" + p + "&order=oldest&limit=3"));
        assertEquals(oldest, walk("participant=" + p + "&order=oldest&limit=1"));
    }

    @Test
    void scopeNodeIsThisNodesMemoryOnly() {
        List<String> held = ids("participant=" + p + "&scope=node");
        assertTrue(held.containsAll(List.of(shadowed, active)), held.toString());
        for (String onlyInTheLog : List.of(fence, heuristicOpen, committed[0], committed[5])) {
            assertTrue(!held.contains(onlyInTheLog), onlyInTheLog + " is not in memory: " + held);
        }
    }

    @Test
    void badParametersAreRefusedNamingTheParameter() {
        String cursor = search("participant=" + p + "&limit=1").getString("nextCursor");
        Map<String, String> bad = Map.ofEntries(Map.entry("limit=0", "limit"), Map.entry("limit=501", "limit"),
                Map.entry("limit=abc", "limit"), Map.entry("state=DONE", "state 'DONE'"), Map.entry("inDoubt=yes", "inDoubt"),
                Map.entry("olderThan=soon", "olderThan"), Map.entry("olderThan=-PT5M", "olderThan"),
                Map.entry("decidedAfter=yesterday", "decidedAfter"), Map.entry("outcome=HEURISTIC", "outcome"),
                Map.entry("order=up", "order"), Map.entry("cursor=bm90LWEtY3Vyc29y", "cursor"),
                Map.entry("order=oldest&cursor=" + cursor, "other order"), Map.entry("participant=Not%20A%20Name", "participant"),
                Map.entry("stat=ACTIVE", "Unknown parameter 'stat'"), Map.entry("scope=cluster", "scope"),
                Map.entry("limit=5&limit=6", "once"),
                Map.entry("decidedAfter=2026-01-02T00:00:00Z&decidedBefore=2026-01-01T00:00:00Z", "earlier"));
        bad.forEach((query, says) -> given().get("/transactions?" + query).then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString(says)));
    }

    @Test
    void onlyOperatorsSearch() {
        given().header("Authorization", TestKeys.OPERATOR).get("/transactions").then().statusCode(200);
        for (String other : List.of(TestKeys.CLIENT, TestKeys.BANK_A, TestKeys.BANK_B)) {
            given().header("Authorization", other).get("/transactions").then().statusCode(403)
                    .contentType("application/problem+json");
        }
        given().header("Authorization", "Bearer vdk_test-nobody").get("/transactions").then().statusCode(401);
    }

    private List<String> walk(String query) {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        for (int pages = 0; pages < 50; pages++) {
            JsonPath page = search(query + (cursor == null ? "" : "&cursor=" + cursor));
            seen.addAll(page.getList("items.id"));
            cursor = page.getString("nextCursor");
            if (cursor == null) {
                return seen;
            }
        }
        throw new AssertionError("more than 50 pages: " + seen);
    }

    private List<String> ids(String query) {
        return search(query).getList("items.id");
    }

    private static List<String> sorted(List<String> ids) {
        return ids.stream().sorted(Comparator.reverseOrder()).toList();
    }

    private static JsonPath search(String query) {
        return given().get("/transactions?" + query).then().statusCode(200).body("items", org.hamcrest.Matchers.notNullValue())
                .extract().jsonPath();
    }

    private String begin() {
        String tx = given().contentType(ContentType.JSON).body(Map.of("timeoutMs", 180_000)).post("/transactions")
                .then().statusCode(201).extract().header("Verdict-Transaction");
        given().contentType(ContentType.JSON).body(Map.of("participant", p)).post("/transactions/" + tx + "/branches")
                .then().statusCode(200).body("state", equalTo("ACTIVE"));
        return tx;
    }
}
