package dev.verdict.coordinator.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The transaction's JSON as clients read it: every time with exactly microsecond precision, the
 * same value from memory as from the log (PostgreSQL keeps microseconds), {@code nextAttemptAt}
 * only while a retry is scheduled; and the callbacks that produce it carry the transaction header.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransactionJsonTest {

    private static final Pattern MICROS = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}Z");

    private TwoParticipants participants;

    @Inject
    AgroalDataSource db;

    @BeforeAll
    void participants() throws Exception {
        participants = new TwoParticipants("json", TestKeys.ADMIN);
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
    void aHealthyCommitShowsMicrosecondsAsTheLogKeepsThemAndNoNextAttempt() throws Exception {
        String tx = begin();
        JsonPath begun = get(tx);
        assertMicros(begun, "createdAt", "expiresAt");
        assertFalse(hasNextAttempt(begun), "nothing to retry while active: " + begun.prettify());

        JsonPath committed = given().post("/transactions/" + tx + "/commit").then().statusCode(200).extract().jsonPath();
        assertMicros(committed, "createdAt", "expiresAt", "decidedAt");
        assertFalse(hasNextAttempt(committed), "a healthy commit has nothing scheduled: " + committed.prettify());
        assertEquals(begun.getString("createdAt"), committed.getString("createdAt"), "one instant, one text");

        await().atMost(Duration.ofSeconds(10)).until(() -> "COMMITTED".equals(get(tx).getString("state")));
        JsonPath finished = get(tx);
        assertMicros(finished, "createdAt", "expiresAt", "decidedAt", "completedAt");
        assertFalse(hasNextAttempt(finished), finished.prettify());
        // The log's copy (PostgreSQL, microseconds) is the very instant memory showed.
        await().atMost(Duration.ofSeconds(10)).until(() -> logged(tx, "completed_at") != null);
        assertEquals(Instant.parse(committed.getString("decidedAt")), logged(tx, "decided_at"));
        assertEquals(Instant.parse(finished.getString("completedAt")), logged(tx, "completed_at"));
        assertEquals(Instant.parse(begun.getString("createdAt")), logged(tx, "created_at"));
    }

    @Test
    void nextAttemptAtIsShownWhileARetryIsScheduledAndGoneOnceAcknowledged() {
        String tx = begin();
        participants.b.failPhaseTwo(tx, 4);
        JsonPath committed = given().post("/transactions/" + tx + "/commit").then().statusCode(200).extract().jsonPath();
        assertFalse(hasNextAttempt(committed), "the decision, before any delivery failed: " + committed.prettify());
        JsonPath[] seen = new JsonPath[1];
        await().atMost(Duration.ofSeconds(10)).until(() -> hasNextAttempt(seen[0] = get(tx)));
        JsonPath retrying = seen[0];
        assertEquals("COMMITTING", retrying.getString("state"), retrying.prettify());
        assertMicros(retrying, "nextAttemptAt");
        await().atMost(Duration.ofSeconds(10)).until(() -> "COMMITTED".equals(get(tx).getString("state")));
        JsonPath finished = get(tx);
        assertFalse(hasNextAttempt(finished), finished.prettify());
    }

    /** Decision 10 of issue 13: every callback names its transaction in the header too, equal to the path's id. */
    @Test
    void callbacksCarryTheTransactionHeaderEqualToThePath() {
        String tx = begin();
        given().post("/transactions/" + tx + "/commit").then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> "COMMITTED".equals(get(tx).getString("state")));
        for (ScriptedParticipant p : List.of(participants.a, participants.b)) {
            assertEquals(List.of("prepare " + tx + " " + tx, "commit " + tx + " " + tx),
                    p.transactionHeaders.stream().filter(h -> h.contains(" " + tx + " ")).toList());
        }
    }

    private String begin() {
        String tx = given().contentType(ContentType.JSON).body(Map.of("timeoutMs", 30_000)).post("/transactions")
                .then().statusCode(201).extract().header("Verdict-Transaction");
        for (ScriptedParticipant p : List.of(participants.a, participants.b)) {
            given().contentType(ContentType.JSON).body(Map.of("participant", p.name))
                    .post("/transactions/" + tx + "/branches").then().statusCode(200);
        }
        return tx;
    }

    private static JsonPath get(String tx) {
        return given().get("/transactions/" + tx).then().statusCode(200).extract().jsonPath();
    }

    /** The key is there only while a retry is scheduled, and then with a value. */
    private static boolean hasNextAttempt(JsonPath tx) {
        Map<String, Object> fields = tx.getMap("");
        assertTrue(!fields.containsKey("nextAttemptAt") || fields.get("nextAttemptAt") != null, "null nextAttemptAt shown");
        return fields.containsKey("nextAttemptAt");
    }

    private static void assertMicros(JsonPath tx, String... fields) {
        for (String field : fields) {
            String value = tx.getString(field);
            assertNotNull(value, field + " missing: " + tx.prettify());
            assertTrue(MICROS.matcher(value).matches(), field + " is not an instant with exactly six fraction digits: " + value);
        }
    }

    private Instant logged(String tx, String column) throws Exception {
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("select " + column + " from transaction_log where id = ?")) {
            s.setString(1, tx);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return null;
                }
                OffsetDateTime t = r.getObject(1, OffsetDateTime.class);
                return t == null ? null : t.toInstant();
            }
        }
    }
}
