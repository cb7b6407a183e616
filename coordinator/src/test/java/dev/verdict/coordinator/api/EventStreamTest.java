package dev.verdict.coordinator.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.coordinator.metrics.VerdictMetrics;
import dev.verdict.coordinator.model.HistoryEntry;
import dev.verdict.coordinator.service.EventFeed;
import dev.verdict.coordinator.store.JdbcHistory;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GET /events against a real PostgreSQL (history stored by the recorder's own JdbcHistory, in grouped rows) and
 * real HTTP read byte for byte. The test profile sets max-queued 100, max-subscribers 6, a 50 ms
 * poll and a 1 s keep-alive (application.properties).
 */
@QuarkusTest
class EventStreamTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int MAX_QUEUED = 100;
    private static final int MAX_SUBSCRIBERS = 6;

    @Inject
    AgroalDataSource db;

    @Inject
    EventFeed feed;

    @Inject
    MeterRegistry registry;

    @Inject
    ObjectMapper json;

    @Inject
    VerdictMetrics metrics;

    @BeforeEach
    void noStreamLeftOpen() {
        await().atMost(WAIT).until(() -> feed.subscribers() == 0);
    }

    @Test
    void entriesArriveInIdOrderFramedExactlyAsTheContractSays() throws Exception {
        try (SseClient stream = open("/events")) {
            assertTrue(stream.headers.get("content-type").startsWith("text/event-stream"), stream.headers.toString());
            assertEquals("no-cache", stream.headers.get("cache-control"));
            long first = insert("txorder1", "BEGUN", null, "{\"timeoutMs\": 30000, \"beganBy\": \"key:client\"}");
            long second = insert("txorder1", "ENLISTED", "bank-a", "{}");
            long third = insert(null, "PARTICIPANT_PAUSED", "bank-a", "{\"actor\": \"key:ops\", \"reason\": \"DB migration\"}");

            // Unfiltered, the stream also carries what this node records meanwhile (transactions other
            // test classes left it to retry): only this test's three entries are looked at, in order.
            Set<String> mine = Set.of(String.valueOf(first), String.valueOf(second), String.valueOf(third));
            SseClient.Frame begun = nextOf(stream, mine);
            String data = begun.data();
            assertEquals("id: " + first + "\nevent: BEGUN\ndata: " + data + "\n\n", begun.raw(), "one frame, LF only, no retry field");
            JsonNode entry = json.readTree(data);
            assertEquals(first, entry.get("id").asLong());
            assertEquals("txorder1", entry.get("transactionId").asText());
            assertEquals("test-node", entry.get("node").asText());
            assertEquals("BEGUN", entry.get("kind").asText());
            assertTrue(entry.get("participant").isNull());
            assertEquals(30000, entry.get("detail").get("timeoutMs").asInt());
            assertTrue(entry.get("at").asText().matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), entry.get("at").asText());
            assertEquals(List.of("id", "transactionId", "at", "node", "kind", "participant", "detail"), fields(entry));

            SseClient.Frame enlisted = nextOf(stream, mine);
            assertEquals(String.valueOf(second), enlisted.id());
            assertEquals("bank-a", json.readTree(enlisted.data()).get("participant").asText());
            SseClient.Frame paused = nextOf(stream, mine);
            assertEquals(String.valueOf(third), paused.id());
            assertEquals("PARTICIPANT_PAUSED", paused.event());
            assertTrue(json.readTree(paused.data()).get("transactionId").isNull());
        }
    }

    @Test
    void withoutLastEventIdOnlyWhatIsRecordedAfterConnectingArrives() throws Exception {
        insert("txbefore", "BEGUN", null, "{}");
        try (SseClient stream = open("/events?transaction=txbefore,txafter")) {
            long after = insert("txafter", "BEGUN", null, "{}");
            assertEquals(String.valueOf(after), stream.nextEvent(WAIT).id());
        }
    }

    @Test
    void filtersKeepOnlyTheTransactionsParticipantsAndKindsAsked() throws Exception {
        try (SseClient byTx = open("/events?transaction=txf1&kind=STATE_CHANGED,BRANCH_CHANGED");
             SseClient byParticipant = open("/events?participant=bank-f")) {
            insert("txf1", "BEGUN", null, "{}");
            long changed = insert("txf1", "STATE_CHANGED", null, "{\"from\": \"ACTIVE\", \"to\": \"PREPARING\"}");
            insert("txf2", "STATE_CHANGED", null, "{}");
            long branch = insert("txf1", "BRANCH_CHANGED", "bank-f", "{\"from\": \"ENLISTED\", \"to\": \"PREPARED\"}");
            long failed = insert("txf2", "DELIVERY_FAILED", "bank-f", "{\"attempt\": 1}");
            insert("txf2", "DELIVERY_FAILED", "bank-g", "{}");
            long last = insert("txf1", "STATE_CHANGED", "bank-f", "{}");

            assertEquals(List.of(changed, branch, last), ids(byTx, 3));
            assertEquals(List.of(branch, failed, last), ids(byParticipant, 3));
            assertTrue(byTx.quietFor(Duration.ofMillis(300)), "nothing else matches");
        }
    }

    @Test
    void reconnectingWithLastEventIdGetsExactlyWhatWasMissedThenLiveEntries() throws Exception {
        long seen = insert("txr", "BEGUN", null, "{}");
        List<Long> missed = new ArrayList<>();
        for (int i = 0; i < 3 * MAX_QUEUED; i++) { // more than one queue's worth: catching up never overflows
            missed.add(insert("txr", "DELIVERY_FAILED", "bank-r", "{\"attempt\": " + i + "}"));
        }
        try (SseClient header = open("/events?transaction=txr", Map.of("Last-Event-ID", String.valueOf(seen)));
             SseClient query = open("/events?transaction=txr&since=" + seen)) {
            assertEquals(missed, ids(header, missed.size()));
            assertEquals(missed, ids(query, missed.size()));
            long live = insert("txr", "STATE_CHANGED", null, "{}");
            assertEquals(List.of(live), ids(header, 1));
            assertEquals(List.of(live), ids(query, 1));
        }
        // Unfiltered, the stream also carries whatever else this node recorded meanwhile: in order, all after the id given.
        try (SseClient unfiltered = open("/events", Map.of("Last-Event-ID", String.valueOf(missed.get(MAX_QUEUED))))) {
            long lastMissed = missed.get(missed.size() - 1);
            List<Long> got = new ArrayList<>();
            while (got.isEmpty() || got.get(got.size() - 1) < lastMissed) {
                got.addAll(ids(unfiltered, 1));
            }
            assertEquals(got.stream().sorted().distinct().toList(), got, "ascending, each once");
            assertTrue(got.get(0) > missed.get(MAX_QUEUED), "nothing from before Last-Event-ID: " + got.get(0));
            assertEquals(missed.subList(MAX_QUEUED + 1, missed.size()), got.stream().filter(missed::contains).toList());
        }
    }

    @Test
    void anIdleStreamGetsKeepAliveComments() throws Exception {
        try (SseClient stream = open("/events?transaction=txnothing")) {
            SseClient.Frame f = stream.next(Duration.ofSeconds(5));
            assertEquals(": keep-alive\n\n", f.raw());
            assertNull(f.id());
        }
    }

    /** A consumer that pauses longer than its queue allows is told where to resume, and the stream ends. */
    @Test
    void aConsumerThatFallsBehindGetsOverflowThenResumesFromItsLastId() throws Exception {
        double before = overflows();
        List<Long> all = new ArrayList<>();
        try (SseClient slow = new SseClient(RestAssured.port, "/events?transaction=txslow", TestKeys.OPERATOR,
                Map.of(), false, 4096)) {
            all.addAll(insertMany("txslow", 3_000, 2_000));
            await().atMost(WAIT).pollInterval(Duration.ofMillis(10)).until(() -> overflows() > before);
            slow.startReading();
            List<Long> received = new ArrayList<>();
            SseClient.Frame f;
            while ((f = slow.next(WAIT)) != SseClient.END && !"overflow".equals(f.event())) {
                if (f.id() != null) {
                    received.add(Long.parseLong(f.id()));
                }
            }
            assertEquals("overflow", f.event(), "the stream says why it ends");
            JsonNode notice = json.readTree(f.data());
            long lastId = notice.get("lastEventId").asLong();
            assertThat(notice.get("message").asText(), "Last-Event-ID: " + lastId);
            assertEquals(all.subList(0, received.size()), received, "what arrived is a prefix, in order");
            if (received.isEmpty()) {
                // Nothing of txslow was sent: the notice names where the stream began, which may be a
                // little before txslow's first entry (entries of other transactions, filtered out, came
                // between); resuming from there misses nothing, as the resumed stream below shows.
                assertTrue(lastId < all.get(0), "the notice names a point before txslow's first entry: " + lastId);
            } else {
                assertEquals(received.get(received.size() - 1), lastId,
                        "the notice names the last id received; received " + received.size() + " of " + all.size());
            }
            assertTrue(all.size() - received.size() > MAX_QUEUED, "it fell behind by more than max-queued");
            assertEquals(SseClient.END, slow.next(WAIT), "and then the stream ends");
            try (SseClient resumed = open("/events?transaction=txslow", Map.of("Last-Event-ID", String.valueOf(lastId)))) {
                assertEquals(all.subList(received.size(), all.size()), ids(resumed, all.size() - received.size()));
            }
        }
    }

    /**
     * One that reads nothing at all: its stream ends (with the notice if the kernel's buffers could
     * still take it, cut otherwise; EventSubscriberTest covers the cut itself) and the node serves
     * everyone else meanwhile.
     */
    @Test
    void aConsumerThatReadsNothingLosesItsStreamAndTheNodeStaysResponsive() throws Exception {
        try (SseClient stuck = new SseClient(RestAssured.port, "/events", TestKeys.OPERATOR, Map.of(), false, 4096);
             SseClient healthy = open("/events?transaction=txhealthy")) {
            assertEquals(200, stuck.status, stuck.body);
            int n = 5_000;
            insertMany("txstuck", n, 2_000);
            long mine = insert("txhealthy", "BEGUN", null, "{}");
            assertEquals(String.valueOf(mine), healthy.nextEvent(WAIT).id(), "others keep receiving");
            given().header("Authorization", TestKeys.OPERATOR).get("/status").then().statusCode(200);
            await().atMost(WAIT).until(() -> feed.subscribers() == 1);
            stuck.startReading();
            int events = 0;
            for (SseClient.Frame f = stuck.next(WAIT); f != SseClient.END; f = stuck.next(WAIT)) {
                events += f.id() != null ? 1 : 0;
            }
            assertTrue(events < n, "it was not sent all " + n + " entries: " + events);
            await().atMost(WAIT).until(() -> feed.subscribers() == 1); // the stuck one was let go, the healthy one stays
        }
    }

    @Test
    void subscribersBeyondTheCapAreRefusedWith503() throws Exception {
        List<SseClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_SUBSCRIBERS; i++) {
                open.add(open("/events"));
            }
            try (SseClient refused = new SseClient(RestAssured.port, "/events", TestKeys.OPERATOR)) {
                assertEquals(503, refused.status);
                assertEquals(Problems.MEDIA_TYPE, refused.headers.get("content-type"));
                assertEquals("1", refused.headers.get("retry-after"));
                assertThat(refused.body, "verdict.events.max-subscribers");
            }
            open.remove(0).close();
            await().atMost(WAIT).until(() -> feed.subscribers() == MAX_SUBSCRIBERS - 1);
            open.add(open("/events"));
        } finally {
            for (SseClient c : open) {
                c.close();
            }
        }
    }

    @Test
    void badParametersAre400ProblemsAndOnlyOperatorsMayListen() {
        for (String query : List.of("since=-1", "since=abc", "kind=NOPE", "kind=BEGUN,", "transaction=BAD%20ID",
                "participant=Not_A_Name", "transaction=" + manyIds(101))) {
            given().header("Authorization", TestKeys.OPERATOR).accept("text/event-stream").get("/events?" + query)
                    .then().statusCode(400).contentType(Problems.MEDIA_TYPE)
                    .body("detail", containsString(query.substring(0, query.indexOf('='))));
        }
        given().header("Authorization", TestKeys.OPERATOR).header("Last-Event-ID", "x").get("/events")
                .then().statusCode(400).body("detail", containsString("Last-Event-ID"));
        given().header("Authorization", TestKeys.CLIENT).get("/events").then().statusCode(403);
        given().get("/events").then().statusCode(401);
    }

    // --- helpers -----------------------------------------------------------------------------

    private SseClient open(String path) throws Exception {
        return open(path, Map.of());
    }

    /** Opens a stream and waits for its first comment: from then on it is subscribed. */
    private SseClient open(String path, Map<String, String> headers) throws Exception {
        SseClient c = new SseClient(RestAssured.port, path, TestKeys.OPERATOR, headers, true, 0);
        assertEquals(200, c.status, c.body);
        SseClient.Frame first = c.next(WAIT);
        assertTrue(first.comment() != null && first.comment().startsWith("stream after id "), first.raw());
        return c;
    }

    private static String manyIds(int n) {
        return String.join(",", java.util.stream.IntStream.range(0, n).mapToObj(i -> "tx" + i).toList());
    }

    /** The next event whose id is one of {@code ids}; events of other transactions are skipped. */
    private static SseClient.Frame nextOf(SseClient stream, Set<String> ids) throws InterruptedException {
        SseClient.Frame f;
        do {
            f = stream.nextEvent(WAIT);
            assertTrue(f != SseClient.END, "the stream ended");
        } while (!ids.contains(f.id()));
        return f;
    }

    private static List<Long> ids(SseClient stream, int n) throws InterruptedException {
        List<Long> ids = new ArrayList<>();
        while (ids.size() < n) {
            SseClient.Frame f = stream.nextEvent(WAIT);
            assertTrue(f != SseClient.END, "the stream ended after " + ids);
            ids.add(Long.parseLong(f.id()));
        }
        return ids;
    }

    private static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static void assertThat(String text, String part) {
        assertTrue(text.contains(part), "'" + part + "' in: " + text);
    }

    private double overflows() {
        return registry.counter("verdict.events.overflows").count();
    }

    /** One entry, stored as the recorder stores a batch. */
    private long insert(String tx, String kind, String participant, String detail) throws Exception {
        Map<String, Object> parsed = json.readValue(detail, new TypeReference<>() {});
        return history().append(List.of(new HistoryEntry(0, tx, Instant.now(), "test-node", kind, participant, parsed)))
                .get(0).id();
    }

    /** {@code n} entries in one batch, each with a detail of about {@code bytes}: quick to make, slow to send. */
    private List<Long> insertMany(String tx, int n, int bytes) {
        List<HistoryEntry> batch = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            batch.add(new HistoryEntry(0, tx, Instant.now(), "test-node", "DELIVERY_FAILED", "bank-s",
                    Map.of("attempt", i, "error", "x".repeat(bytes))));
        }
        return history().append(batch).stream().map(HistoryEntry::id).toList();
    }

    private JdbcHistory history() {
        return new JdbcHistory(db, json, metrics);
    }
}
