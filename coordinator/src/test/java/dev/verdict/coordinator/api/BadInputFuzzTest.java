package dev.verdict.coordinator.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.coordinator.api.FuzzRequests.Probe;
import dev.verdict.coordinator.api.FuzzRequests.Route;
import dev.verdict.coordinator.api.Views.BeginRequest;
import dev.verdict.coordinator.api.Views.EnlistRequest;
import dev.verdict.coordinator.api.Views.RegisterRequest;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * "Bad input gets a clear error and loses nothing" (docs/security.md), checked by throwing bad
 * requests at every endpoint with an admin's credential, so that they get past authentication:
 * no answer is 5xx; every error is problem+json naming no Java class, with no stack trace; and
 * nothing any of them did changed state: participants and known transactions are read before and
 * after, and no count of transactions by state may have grown (other tests' transactions, in the
 * same coordinator, may finish meanwhile; a fuzz request may not begin, enlist or decide any).
 *
 * <p>CI runs a fixed seed. A longer run: {@code -Dfuzz.requests=20000 -Dfuzz.seed=7}
 * (add {@code -Dfuzz.show=true} to print an answer of each kind). Not {@code verdict.*}: the
 * coordinator refuses to start with a system property of its own prefix that it does not know.
 * A failure names its seed and each failing request, escaped.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputFuzzTest {

    private static final long SEED = Long.getLong("fuzz.seed", 20261122L);
    private static final int REQUESTS = Integer.getInteger("fuzz.requests", 1500);
    /** -Dfuzz.show: print the first answer of each kind of request and status, to read what clients are told. */
    private static final boolean SHOW = Boolean.getBoolean("fuzz.show");
    private static final List<Class<?>> RESOURCES = List.of(TransactionResource.class, ParticipantResource.class,
            StatusResource.class, AuditResource.class);
    /** A body its method reads itself, not through a parameter. */
    private static final Map<String, Class<?>> BODIES = Map.of("POST /transactions", BeginRequest.class);
    /** What an error body must never contain: names of Java classes and packages, stack frames. */
    private static final List<String> LEAKS = List.of("java.", "javax.", "jakarta.", "dev.verdict", "com.fasterxml",
            "io.vertx", "io.netty", "io.quarkus", "org.jboss", "org.hibernate", "org.postgresql", "$", "Exception",
            "Constraints", "Feature", "`", "\tat ", ".java:");

    @TestHTTPResource("/")
    URL base;

    private final ObjectMapper json = new ObjectMapper();
    private TwoParticipants participants;
    private ScriptedParticipant a;
    private ScriptedParticipant b;
    private final Map<String, String> known = new TreeMap<>();

    @BeforeAll
    void participants() throws Exception {
        participants = new TwoParticipants("fz", TestKeys.ADMIN);
        a = participants.a;
        b = participants.b;
    }

    /** Known participants and transactions in each state; in @BeforeAll the test HTTP port is not known yet. */
    @BeforeEach
    void knownState() {
        // A node takes no transaction before it has registered itself (503 node-not-ready).
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        participants.register();
        known.put("active", begin());
        enlist(known.get("active"), a.name);
        known.put("empty", begin());
        known.put("committed", begin());
        enlist(known.get("committed"), a.name);
        given().post("/transactions/" + known.get("committed") + "/commit").then().statusCode(200);
        known.put("rolled-back", begin());
        enlist(known.get("rolled-back"), a.name);
        given().post("/transactions/" + known.get("rolled-back") + "/rollback").then().statusCode(200);
    }

    @AfterEach
    void finish() {
        given().post("/transactions/" + known.get("active") + "/rollback");
        given().post("/transactions/" + known.get("empty") + "/rollback");
    }

    @AfterAll
    void stop() throws Exception {
        participants.close();
    }

    @Test
    void badInputGetsAProblemAndChangesNothing() throws Exception {
        List<Route> routes = FuzzRequests.routesOf(RESOURCES, BODIES);
        FuzzRequests fuzz = new FuzzRequests(routes, new FuzzRequests.Targets(List.copyOf(known.values()),
                List.of(a.name, b.name), "01m832ha9xg1sjq5rcz0dv447h.2b2mtfy2n9r1s", "fz-nobody", Map.of(
                BeginRequest.class, "{\"timeoutMs\":30000}",
                EnlistRequest.class, "{\"participant\":\"" + b.name + "\"}",
                RegisterRequest.class, "{\"callbackUrl\":\"" + a.callbackUrl() + "\",\"callbackSecret\":\"" + a.secret + "\"}",
                Views.ActionRequest.class, "{\"reason\":\"fuzz\",\"participant\":\"" + b.name
                        + "\",\"applied\":\"COMMITTED\",\"outcome\":\"COMMITTED\"}")));
        String before = state();
        Map<String, Long> countsBefore = counts();
        RawHttp http = new RawHttp(base.getPort());
        Map<String, Integer> statuses = new TreeMap<>();
        Map<String, Integer> kinds = new TreeMap<>();
        Map<String, Integer> failures = new TreeMap<>();
        List<String> examples = new ArrayList<>();
        Map<Route, Integer> perRoute = new java.util.HashMap<>();
        int beforeRouting = 0;
        java.util.Set<String> shown = new java.util.HashSet<>();
        long started = System.nanoTime();
        for (int i = 0; i < REQUESTS; i++) {
            Probe probe = fuzz.next(new Random(new SplittableRandom(SEED + i).nextLong())); // each alone replayable
            RawHttp.Answer answer = http.send(probe.method(), head(probe), probe.body());
            statuses.merge(answer.status() == 0 ? "closed" : String.valueOf(answer.status()), 1, Integer::sum);
            kinds.merge(probe.kind(), 1, Integer::sum);
            perRoute.merge(probe.route(), 1, Integer::sum);
            beforeRouting += refusedBeforeRouting(probe, answer) ? 1 : 0;
            if (SHOW && shown.add(probe.kind() + " " + answer.status())) {
                System.out.printf("#%d %s%n    -> %d %s%n", i, probe.describe(), answer.status(), FuzzRequests.escape(answer.text()));
            }
            String wrong = judge(probe, answer);
            if (wrong != null) {
                String group = probe.kind() + " " + probe.method() + ", " + answer.status() + ": " + wrong;
                if (failures.merge(group, 1, Integer::sum) <= 2) { // two examples of each
                    examples.add("#" + i + " " + wrong + "\n      " + probe.describe() + "\n      -> " + answer.status()
                            + " " + answer.header("content-type") + " " + FuzzRequests.escape(answer.text()));
                }
            }
        }
        long ms = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("bad-input fuzz: %d requests in %d ms, seed %d, statuses %s (%d refused by the HTTP server"
                + " before routing), kinds %s%n", REQUESTS, ms, SEED, statuses, beforeRouting, kinds);
        routes.forEach(route -> assertTrue(perRoute.getOrDefault(route, 0) >= Math.min(10, REQUESTS / routes.size() / 2),
                route + " got only " + perRoute.get(route) + " bad requests"));
        String after = state();
        Map<String, Long> countsAfter = counts();
        List<String> wrong = new ArrayList<>();
        if (!failures.isEmpty()) {
            wrong.add(failures.values().stream().mapToInt(n -> n).sum() + " bad answers:\n" + failures.entrySet().stream()
                    .map(e -> e.getValue() + " x " + e.getKey()).collect(Collectors.joining("\n"))
                    + "\nexamples:\n" + String.join("\n", examples));
        }
        if (!before.equals(after)) {
            wrong.add("bad requests changed state:\nbefore:\n" + before + "\nafter:\n" + after);
        }
        if (countsAfter.entrySet().stream().anyMatch(e -> e.getValue() > countsBefore.getOrDefault(e.getKey(), 0L))) {
            wrong.add("bad requests added transactions: " + countsBefore + " -> " + countsAfter);
        }
        assertTrue(wrong.isEmpty(), "seed " + SEED + " (rerun with -Dfuzz.seed=" + SEED + " -Dfuzz.requests=" + REQUESTS
                + "):\n" + String.join("\n\n", wrong));
    }

    /** Why this answer is wrong for this probe, or null. */
    private String judge(Probe probe, RawHttp.Answer answer) {
        int status = answer.status();
        if (refusedBeforeRouting(probe, answer)) {
            return null;
        }
        if (status == 0) {
            return "closed without an answer";
        }
        if (status >= 500) {
            return "server error";
        }
        if (status < 400) {
            return probe.mayPass() ? null : "accepted a request that must be refused";
        }
        if (probe.method().equals("HEAD")) {
            return null;
        }
        String type = answer.header("content-type");
        if (type == null || !type.startsWith("application/problem+json")) {
            return "error is not application/problem+json";
        }
        String body = answer.text();
        for (String leak : LEAKS) {
            if (body.contains(leak)) {
                return "error body contains '" + leak + "'";
            }
        }
        try {
            JsonNode problem = json.readTree(body);
            if (!problem.path("type").asText().startsWith("https://verdict.dev/problems/")
                    || problem.path("status").asInt() != status || !problem.path("title").isTextual()
                    || !problem.path("detail").isTextual() || problem.path("detail").asText().isBlank()) {
                return "problem lacks type, title, status or detail";
            }
        } catch (Exception e) {
            return "problem body is not JSON";
        }
        return null;
    }

    /**
     * What docs/security.md ("Bad input") says is refused by the HTTP server before any of the
     * coordinator's code runs, so with an empty body: a request line over 4096 bytes (414), headers
     * over 8 KiB (431), a malformed header, request line or request target (400), a broken chunked
     * body (the connection is closed). Only such a request may get such an answer.
     */
    private static boolean refusedBeforeRouting(Probe probe, RawHttp.Answer answer) {
        boolean codecAnswer = answer.status() == 0 && probe.kind().equals("bad-header")
                || answer.body().length == 0 && answer.header("content-type") == null
                && List.of(400, 414, 431).contains(answer.status());
        String target = new String(probe.target(), StandardCharsets.ISO_8859_1);
        boolean malformed = probe.kind().matches("bad-header|request-line") || target.length() > 4000
                || !isValidTarget(target);
        return codecAnswer && malformed;
    }

    /** Whether a request target is a valid URI reference (RFC 3986): allowed characters, and '%' only before two hex digits. */
    private static boolean isValidTarget(String target) {
        String allowed = "-._~:/?#[]@!$&'()*+,;=";
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c == '%') {
                if (i + 2 >= target.length() || Character.digit(target.charAt(i + 1), 16) < 0
                        || Character.digit(target.charAt(i + 2), 16) < 0) {
                    return false;
                }
            } else if (!(c < 0x80 && Character.isLetterOrDigit(c)) && allowed.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    private byte[] head(Probe probe) {
        StringBuilder head = new StringBuilder();
        head.append(probe.method()).append(' ').append(new String(probe.target(), StandardCharsets.ISO_8859_1))
                .append(probe.version().isEmpty() ? "" : " " + probe.version()).append("\r\n");
        if (probe.host()) {
            head.append("Host: 127.0.0.1:").append(base.getPort()).append("\r\n");
        }
        if (probe.headers().stream().noneMatch(h -> h.startsWith("Authorization"))) {
            head.append("Authorization: ").append(TestKeys.ADMIN).append("\r\n");
        }
        head.append("Connection: close\r\n");
        probe.headers().forEach(h -> head.append(h).append("\r\n"));
        if (probe.contentLength() && (probe.body().length > 0 || !probe.method().matches("GET|HEAD"))) {
            head.append("Content-Length: ").append(probe.body().length).append("\r\n");
        }
        // Request lines and headers are bytes: a char past U+00FF goes out as its UTF-8 bytes.
        String text = head.toString();
        boolean wide = text.chars().anyMatch(c -> c > 0xff);
        return text.getBytes(wide ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    }

    // --- state ---------------------------------------------------------------------------------

    /** Participants, and the known transactions with their branches and outcomes: what no bad request may change. */
    private String state() {
        StringBuilder s = new StringBuilder();
        JsonNode participants = read("/participants");
        participants.forEach(p -> s.append("participant ").append(p.path("name").asText()).append(' ')
                .append(p.path("callbackUrl").asText()).append(' ').append(p.path("updatedAt").asText()).append('\n'));
        known.forEach((label, id) -> {
            JsonNode tx = read("/transactions/" + id);
            s.append(label).append(' ').append(tx.path("state").asText()).append(' ').append(tx.path("outcome").asText())
                    .append(' ').append(tx.path("reason").asText());
            tx.path("branches").forEach(br -> s.append(' ').append(br.path("participant").asText()).append('=')
                    .append(br.path("state").asText()));
            s.append(" outcome=").append(read("/transactions/" + id + "/outcome").path("outcome").asText()).append('\n');
        });
        return s.toString();
    }

    /** Transactions by state across the coordinator (and how many are in doubt). */
    private Map<String, Long> counts() {
        JsonNode status = read("/status");
        Map<String, Long> counts = new TreeMap<>();
        status.path("counts").fields().forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asLong()));
        counts.put("inDoubt", status.path("inDoubtCount").asLong());
        return counts;
    }

    private JsonNode read(String path) {
        try {
            return json.readTree(given().get(path).then().statusCode(200).extract().asString());
        } catch (Exception e) {
            throw new AssertionError(path, e);
        }
    }

    private static String begin() {
        return given().contentType(ContentType.JSON).body("{\"timeoutMs\":600000}").post("/transactions")
                .then().statusCode(201).extract().header(TransactionResource.CONTEXT_HEADER);
    }

    private static void enlist(String tx, String participant) {
        given().contentType(ContentType.JSON).body("{\"participant\":\"" + participant + "\"}")
                .post("/transactions/" + tx + "/branches").then().statusCode(200);
    }
}
