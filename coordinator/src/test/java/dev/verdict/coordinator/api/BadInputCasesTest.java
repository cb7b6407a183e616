package dev.verdict.coordinator.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * One by one, the kinds of bad input a fuzz run against a fresh coordinator found answered with
 * 5xx, an empty body, a class name, or as if they were good (docs/security.md, "Bad input").
 * {@link BadInputFuzzTest} keeps them fixed at large; this says what each is answered now.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputCasesTest {

    @TestHTTPResource("/")
    URL base;

    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    void admin() {
        RestAssured.replaceFiltersWith(TestKeys.unlessSaid(TestKeys.ADMIN));
    }

    /** A node takes no transaction before it has registered itself (503 node-not-ready). */
    @BeforeEach
    void ready() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
    }

    @AfterAll
    void reset() {
        RestAssured.replaceFiltersWith(List.of());
    }

    @Test
    void aKeyGivenTwiceIsMalformedJson() throws Exception {
        JsonNode problem = problem(send("POST /transactions", "{\"timeoutMs\":5000,\"timeoutMs\":1}"), 400, "malformed-json");
        assertTrue(problem.path("detail").asText().contains("field 'timeoutMs' appears more than once"), problem.toString());
    }

    @Test
    void idsAndNamesThatCannotExistAreNotFoundWithoutAskingTheDatabase() throws Exception {
        String tx = begin();
        problem(send("GET /transactions/" + tx + "%00", null), 404, "transaction-not-found");
        problem(send("POST /transactions/" + tx.toUpperCase() + "/commit", null), 404, "transaction-not-found");
        problem(send("GET /transactions/" + "a".repeat(65), null), 404, "transaction-not-found");
        problem(send("GET /participants/it-a%00", null), 404, "participant-not-found");
        problem(send("DELETE /participants/it-a%00", null), 404, "participant-not-found");
        problem(send("POST /transactions/" + tx + "/branches", "{\"participant\":\"it-a\\u0000\"}"), 400, "invalid-request");
        // Presumed abort answers for an id that could exist, never for one that cannot (a mangled id
        // could be a transaction that committed).
        assertEquals("ROLLED_BACK", json.readTree(send("GET /transactions/nope/outcome", null).body()).path("outcome").asText());
        problem(send("GET /transactions/" + tx.toUpperCase() + "/outcome", null), 400, "invalid-request");
        problem(send("GET /transactions/" + tx + "%00/outcome", null), 400, "invalid-request");
        rollback(tx);
    }

    @Test
    void aWrongJsonTypeIsNamedByFieldAndJsonTypeNeverByClass() throws Exception {
        for (String value : List.of("\"1\"", "\"\"", "1.9", "1.0", "1e3", "true", "{}")) {
            JsonNode problem = problem(send("POST /transactions", "{\"timeoutMs\":" + value + "}"), 400, "malformed-json");
            assertTrue(problem.path("detail").asText().contains("field 'timeoutMs' must be an integer number of milliseconds"),
                    value + ": " + problem);
        }
        JsonNode problem = problem(send("POST /transactions", "42"), 400, "malformed-json");
        assertEquals("The request body is not the JSON this endpoint expects: it must be a JSON object (line 1, column 1).",
                problem.path("detail").asText());
        problem(send("POST /transactions", "[".repeat(5000)), 400, "malformed-json");
        problem(send("GET /status?limit=1.5", null), 400, "invalid-request");
    }

    @Test
    void callbackPortsOutsideOneTo65535AreRefused() throws Exception {
        for (String port : List.of("0", "99999", "65536")) {
            String body = "{\"callbackUrl\":\"http://127.0.0.1:" + port + "/v\",\"callbackSecret\":\""
                    + dev.verdict.protocol.CallbackSignature.newSecret() + "\"}";
            problem(send("PUT /participants/fz-port", body), 400, "invalid-request");
        }
        given().get("/participants/fz-port").then().statusCode(404);
    }

    @Test
    void pathsWithParametersEmptyOrDotSegmentsDoNotActOnTheIdInThem() throws Exception {
        String tx = begin();
        for (String path : List.of("/transactions/" + tx + ";x=1/commit", "//transactions//" + tx + "/commit",
                "/transactions/" + tx + "/commit;x=1", "/transactions/x/../" + tx + "/commit", "/transactions/./" + tx + "/commit",
                "/transactions/%2e/" + tx + "/commit")) {
            problem(send("POST " + path, null), 400, "invalid-request");
        }
        given().get("/transactions/" + tx).then().statusCode(200).body("state", org.hamcrest.Matchers.equalTo("ACTIVE"));
        rollback(tx);
    }

    @Test
    void theLocationOfANewTransactionIsRelativeWhateverTheHostHeaderSays() throws Exception {
        RawHttp.Answer answer = new RawHttp(base.getPort()).send("POST", ("POST /transactions HTTP/1.1\r\nHost: evil.example\r\n"
                + "Authorization: " + TestKeys.ADMIN + "\r\nContent-Length: 0\r\nConnection: close\r\n").getBytes(StandardCharsets.US_ASCII),
                new byte[0]);
        assertEquals(201, answer.status());
        String tx = answer.header(TransactionResource.CONTEXT_HEADER);
        assertEquals("/transactions/" + tx, answer.header("location"));
        rollback(tx);
    }

    @Test
    void aBodyIsReadOnlyAsJsonWithALength() throws Exception {
        problem(send("POST /transactions", "{\"timeoutMs\":5000}", "text/plain"), 415, "http-415");
        problem(send("POST /transactions", "timeoutMs=5000", "application/x-www-form-urlencoded"), 415, "http-415");
        problem(send("POST /transactions", "{\"timeoutMs\":5000}", null), 415, "http-415");
        problem(send("POST /transactions", "{\"timeoutMs\":5000}", "application/json; charset=utf-16"), 415, "http-415");
        RawHttp.Answer chunked = new RawHttp(base.getPort()).send("POST", ("POST /transactions HTTP/1.1\r\nHost: x\r\n"
                + "Authorization: " + TestKeys.ADMIN + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                + "Connection: close\r\n").getBytes(StandardCharsets.US_ASCII), "2\r\n{}\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        problem(chunked, 411, "http-411");
        // No body needs no content type; a JSON one is read.
        for (RawHttp.Answer begun : List.of(send("POST /transactions", null, "text/plain"),
                send("POST /transactions", "{\"timeoutMs\":5000}", "application/json;charset=UTF-8"))) {
            assertEquals(201, begun.status(), begun.text());
            rollback(begun.header(TransactionResource.CONTEXT_HEADER));
        }
    }

    @Test
    void healthAndMetricsAreOnlyRead() throws Exception {
        for (String path : List.of("/q/health", "/q/health/live", "/q/health/ready", "/q/metrics")) {
            for (String method : List.of("DELETE", "TRACE", "POST", "FOO", "get", "OPTIONS")) {
                RawHttp.Answer answer = send(method + " " + path, null);
                problem(answer, 405, "http-405");
                assertEquals("GET, HEAD", answer.header("allow"));
            }
            assertEquals(200, send("GET " + path, null).status());
            assertEquals(200, send("HEAD " + path, null).status());
        }
    }

    @Test
    void aRequestWithoutHostIsAProblemNotAServerError() throws Exception {
        RawHttp.Answer answer = new RawHttp(base.getPort()).send("GET", ("GET /status HTTP/1.1\r\nAuthorization: " + TestKeys.ADMIN
                + "\r\nConnection: close\r\n").getBytes(StandardCharsets.US_ASCII), new byte[0]);
        problem(answer, 400, "http-400");
    }

    /**
     * What the HTTP server refuses before any of the coordinator's code (or any handler Quarkus lets
     * it install) runs: answered with an empty body, as docs/security.md ("Bad input") says. Should
     * one of these start to get a problem document, that list can shrink.
     */
    @Test
    void whatTheHttpServerRefusesItselfGetsAnEmptyBody() throws Exception {
        String key = "Authorization: " + TestKeys.ADMIN + "\r\nConnection: close\r\n";
        Map<String, Integer> refused = new java.util.LinkedHashMap<>();
        refused.put("GET /status/" + "a".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n" + key, 414);
        refused.put("GET /status HTTP/1.1\r\nHost: x\r\nX-Big: " + "y".repeat(40_000) + "\r\n" + key, 431);
        refused.put("GET /status HTTP/1.1\r\nHost: x\r\nX Bad: y\r\n" + key, 400);
        refused.put("GET /status HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n" + key, 400);
        refused.put("GET /status HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n" + key, 400);
        refused.put("GET /participants/it-a\u0000 HTTP/1.1\r\nHost: x\r\n" + key, 400);
        refused.put("GET /participants/it\\a HTTP/1.1\r\nHost: x\r\n" + key, 400);
        refused.put("GET /participants/it%zz HTTP/1.1\r\nHost: x\r\n" + key, 400);
        for (Map.Entry<String, Integer> request : refused.entrySet()) {
            RawHttp.Answer answer = new RawHttp(base.getPort()).send("GET",
                    request.getKey().getBytes(StandardCharsets.ISO_8859_1), new byte[0]);
            String shown = FuzzRequests.escape(request.getKey());
            assertEquals(request.getValue(), answer.status(), shown);
            assertEquals(0, answer.body().length, shown);
        }
    }

    // --- helpers ---------------------------------------------------------------------------------

    private JsonNode problem(RawHttp.Answer answer, int status, String type) throws Exception {
        assertEquals(status, answer.status(), answer.text());
        assertTrue(answer.header("content-type").startsWith("application/problem+json"), answer.header("content-type"));
        JsonNode problem = json.readTree(answer.body());
        assertEquals("https://verdict.dev/problems/" + type, problem.path("type").asText(), answer.text());
        assertFalse(answer.text().contains("java") || answer.text().contains("$") || answer.text().contains("Exception"),
                answer.text());
        return problem;
    }

    private RawHttp.Answer send(String methodAndTarget, String body) throws Exception {
        return send(methodAndTarget, body, "application/json");
    }

    /** With the admin's key; {@code body} null for none, {@code contentType} null to send none. */
    private RawHttp.Answer send(String methodAndTarget, String body, String contentType) throws Exception {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(methodAndTarget).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ")
                .append(TestKeys.ADMIN).append("\r\nConnection: close\r\n");
        if (body != null) {
            head.append("Content-Length: ").append(bytes.length).append("\r\n");
            if (contentType != null) {
                head.append("Content-Type: ").append(contentType).append("\r\n");
            }
        } else if (contentType != null && !contentType.equals("application/json")) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        return new RawHttp(base.getPort()).send(methodAndTarget.split(" ")[0], head.toString().getBytes(StandardCharsets.UTF_8), bytes);
    }

    private static String begin() {
        return given().contentType(ContentType.JSON).body("{\"timeoutMs\":60000}").post("/transactions").then().statusCode(201)
                .extract().header(TransactionResource.CONTEXT_HEADER);
    }

    private static void rollback(String tx) {
        given().post("/transactions/" + tx + "/rollback").then().statusCode(200);
    }
}
