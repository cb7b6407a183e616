package dev.verdict.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Hundreds of clients that open a request and trickle its body, byte by byte, against a real
 * coordinator process: everyone else is still served within a second, each slow client is cut off
 * with 408 (its connection closed before its body was complete, so nothing it sent was read) once
 * its body is overdue, and the log shows no stack trace.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlowClientsTest {

    private static final int SLOW_CLIENTS = 300;
    private static final long BODY_TIMEOUT_MS = 6_000;

    private Service coordinator;
    private Path log;

    @BeforeAll
    void start() throws Exception {
        Service.callAsAdmin();
        Path work = Service.workDir("slow-clients");
        coordinator = new Service("coordinator", Service.coordinatorJar(), work, Map.of(
                "verdict.auth.api-key-file", Service.keyFile().toString(),
                "verdict.http.body-timeout", BODY_TIMEOUT_MS + "ms"));
        coordinator.start();
        log = work.resolve("coordinator-1.log");
    }

    @AfterAll
    void stop() throws Exception {
        Service.stopAll(coordinator);
    }

    @Test
    void tricklingBodiesAreCutOffAndStarveNobody() throws Exception {
        probeEveryone(); // the client's own first use costs seconds on a busy machine: not the server's doing
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < SLOW_CLIENTS; i++) {
                // Half against registration (whose database work runs on a worker thread), half against begin.
                String target = i % 2 == 0 ? "PUT /participants/slow-" + i : "POST /transactions";
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", coordinator.port), 2_000);
                s.setSoTimeout(15_000);
                s.getOutputStream().write((target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + Service.ADMIN
                        + "\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{")
                        .getBytes(StandardCharsets.US_ASCII));
                slow.add(s);
            }
            long started = System.nanoTime();
            trickle(slow);
            probeEveryone(); // while the server takes in the burst of slow requests
            // While they trickle, everyone else is served promptly: starved, these would wait for
            // the slow clients' cut-off, seconds away.
            for (int round = 0; round < 3; round++) {
                trickle(slow);
                assertPrompt(() -> given().get(coordinator.url() + "/q/health/ready").then().statusCode(200));
                assertPrompt(() -> given().get(coordinator.url() + "/status").then().statusCode(200));
                assertPrompt(() -> given().post(coordinator.url() + "/transactions").then().statusCode(201));
                Thread.sleep(300);
            }
            assertTrue((System.nanoTime() - started) / 1_000_000 < BODY_TIMEOUT_MS, "measured before any was cut off");
            // Once their bodies are overdue, each slow client hears 408 and its connection closes.
            while ((System.nanoTime() - started) / 1_000_000 < BODY_TIMEOUT_MS + 500) {
                trickle(slow);
                Thread.sleep(300);
            }
            int cutOff = 0;
            for (Socket s : slow) {
                String answer = readAll(s.getInputStream());
                if (answer.startsWith("HTTP/1.1 408") && answer.contains("application/problem+json")) {
                    cutOff++;
                }
            }
            assertEquals(SLOW_CLIENTS, cutOff, "every slow client is answered 408 and closed");
            assertPrompt(() -> given().get(coordinator.url() + "/q/health/ready").then().statusCode(200));
            assertPrompt(() -> given().post(coordinator.url() + "/transactions").then().statusCode(201));
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
        List<String> traces = Files.readAllLines(log).stream()
                .filter(line -> line.startsWith("\tat ") || line.contains("Exception")).toList();
        assertTrue(traces.isEmpty(), "no stack traces in the log: " + traces.subList(0, Math.min(5, traces.size())));
    }

    private void probeEveryone() {
        given().get(coordinator.url() + "/q/health/ready").then().statusCode(200);
        given().get(coordinator.url() + "/status").then().statusCode(200);
        given().post(coordinator.url() + "/transactions").then().statusCode(201);
    }

    /** One more byte of each body (a space: still the JSON that was started). */
    private static void trickle(List<Socket> slow) {
        for (Socket s : slow) {
            try {
                OutputStream out = s.getOutputStream();
                out.write(' ');
                out.flush();
            } catch (IOException closed) {
                // cut off already: the server closed it
            }
        }
    }

    private static void assertPrompt(Runnable request) {
        long start = System.nanoTime();
        request.run();
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms < 1_000, "answered in " + ms + " ms while slow clients trickle");
    }

    private static String readAll(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }
}
