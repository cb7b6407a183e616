package dev.verdict.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The packaged coordinator serves the web console's files to anyone (they hold no data) with
 * headers that keep the page to its own origin, while every API call still needs a credential.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleAccessTest {

    private static final List<String> FILES = List.of("/console/", "/console/index.html", "/console/console.css",
            "/console/js/app.js", "/console/js/pages/transaction.js", "/console/favicon.svg");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Service coordinator;

    @BeforeAll
    void start() throws Exception {
        coordinator = new Service("coordinator", Service.coordinatorJar(), Service.workDir("console-access"),
                Map.of("verdict.auth.api-key-file", Service.keyFile().toString())).start();
    }

    @AfterAll
    void stop() throws Exception {
        Service.stopAll(coordinator);
    }

    @Test
    void theConsolesFilesLoadWithoutACredential() throws Exception {
        for (String path : FILES) {
            HttpResponse<String> answer = get(path, null);
            assertEquals(200, answer.statusCode(), path);
            assertFalse(answer.body().isBlank(), path);
        }
        assertTrue(get("/console/", null).body().contains("<title>Verdict console</title>"));
        assertTrue(header(get("/console/js/app.js", null), "Content-Type").startsWith("text/javascript"));
        HttpResponse<String> bare = get("/console", null);
        assertEquals(302, bare.statusCode(), "the address people type redirects to the console");
        assertEquals("/console/", header(bare, "Location"));
    }

    @Test
    void theConsoleIsKeptToItsOwnOriginAndCannotBeFramed() throws Exception {
        for (String path : FILES) {
            HttpResponse<String> answer = get(path, null);
            String csp = header(answer, "Content-Security-Policy");
            assertTrue(csp.contains("default-src 'self'"), path + ": " + csp);
            assertTrue(csp.contains("frame-ancestors 'none'"), path + ": " + csp);
            assertTrue(csp.contains("object-src 'none'") && csp.contains("base-uri 'none'"), path + ": " + csp);
            assertFalse(csp.contains("unsafe") || csp.contains("http:") || csp.contains("https:") || csp.contains("*"),
                    path + " allows nothing beyond its own origin: " + csp);
            assertEquals("nosniff", header(answer, "X-Content-Type-Options"), path);
            assertEquals("DENY", header(answer, "X-Frame-Options"), path);
        }
    }

    @Test
    void theApiStaysClosedToCallersWithoutAValidCredential() throws Exception {
        for (String path : List.of("/status", "/transactions?inDoubt=true", "/participants", "/audit", "/events",
                "/consolex", "/console.json")) {
            assertEquals(401, get(path, null).statusCode(), path + " without a credential");
            assertEquals(401, get(path, "vdk_not-a-key").statusCode(), path + " with an unknown key");
        }
        assertEquals(200, get("/status", Service.OPERATOR_KEY).statusCode(), "the operator's key opens it");
    }

    private HttpResponse<String> get(String path, String key) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(coordinator.url() + path)).timeout(Duration.ofSeconds(20));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String header(HttpResponse<?> answer, String name) {
        return answer.headers().firstValue(name).orElse("");
    }
}
