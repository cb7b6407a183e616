package dev.verdict.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.verdict.protocol.CallbackSignature;
import dev.verdict.protocol.ProblemTypes;
import dev.verdict.protocol.TransactionIdSyntax;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * The coordinator as far as a participant can see it (docs/protocol.md, sections 3 and 4): it takes
 * registrations, enlistments and outcome queries on loopback, records each with its time, and
 * answers as a check scripted it. Everything else answers 404.
 */
public final class FakeCoordinator implements AutoCloseable {

    public record Registration(String name, URI callbackUrl, byte[] secret, Instant at) {}

    public record Enlistment(String txId, String participant, Instant at) {}

    /** An outcome query, and what it was answered. */
    public record Query(String txId, Instant at, String answer) {}

    static {
        // The JDK server leaves Nagle on: every answer would wait ~40 ms for a delayed ACK.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "fake-coordinator");
        t.setDaemon(true);
        return t;
    });
    private final Object lock = new Object();
    private final List<Registration> registrations = new ArrayList<>();
    private final List<Enlistment> enlistments = new ArrayList<>();
    private final List<Query> queries = new ArrayList<>();
    private final List<String> refusedRegistrations = new ArrayList<>();
    /** Ids a check has made up and not decided yet: asked about, they are PENDING. */
    private final Map<String, String> outcomes = new HashMap<>();
    private final Map<String, Integer> enlistRefusals = new HashMap<>();

    public FakeCoordinator(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    // --- what a check scripts -------------------------------------------------------------------

    /** A new id of the suite's: asked about before it is decided, it is PENDING. */
    public void undecided(String txId) {
        synchronized (lock) {
            outcomes.put(txId, "PENDING");
        }
    }

    /** The decision a check took (COMMITTED or ROLLED_BACK): what an outcome query answers from now on. */
    public void decide(String txId, String outcome) {
        synchronized (lock) {
            outcomes.put(txId, outcome);
        }
    }

    /** Enlisting in {@code txId} is answered with this error status (404, 409, 422 or 503). */
    public void refuseEnlist(String txId, int status) {
        synchronized (lock) {
            enlistRefusals.put(txId, status);
        }
    }

    // --- what happened ---------------------------------------------------------------------------

    public List<Registration> registrations() {
        synchronized (lock) {
            return List.copyOf(registrations);
        }
    }

    public List<String> refusedRegistrations() {
        synchronized (lock) {
            return List.copyOf(refusedRegistrations);
        }
    }

    public List<Enlistment> enlistments(String txId) {
        synchronized (lock) {
            return enlistments.stream().filter(e -> e.txId().equals(txId)).toList();
        }
    }

    public List<Query> queries(String txId) {
        synchronized (lock) {
            return queries.stream().filter(q -> q.txId().equals(txId)).toList();
        }
    }

    /**
     * Waits until {@code condition} holds, re-testing it whenever a request arrives.
     *
     * @return whether it held within {@code patience}
     */
    public boolean await(BooleanSupplier condition, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        synchronized (lock) {
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    // --- HTTP ------------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String[] path = exchange.getRequestURI().getRawPath().split("/");
            String method = exchange.getRequestMethod();
            if (path.length == 3 && path[1].equals("participants") && method.equals("PUT")) {
                register(exchange, path[2], body);
            } else if (path.length == 4 && path[1].equals("transactions") && path[3].equals("branches") && method.equals("POST")) {
                enlist(exchange, path[2], body);
            } else if (path.length == 4 && path[1].equals("transactions") && path[3].equals("outcome") && method.equals("GET")) {
                outcome(exchange, path[2]);
            } else {
                problem(exchange, 404, "http-404", "The conformance suite's coordinator serves only registration,"
                        + " enlisting and outcome queries.", null);
            }
        } catch (RuntimeException e) {
            problem(exchange, 500, "internal-error", String.valueOf(e), null);
        }
    }

    private void register(HttpExchange exchange, String name, byte[] body) throws IOException {
        JsonNode request = parse(body);
        String url = request == null ? null : request.path("callbackUrl").asText(null);
        String secret = request == null ? null : request.path("callbackSecret").asText(null);
        String refusal = null;
        URI callbackUrl = null;
        byte[] key = null;
        try {
            callbackUrl = URI.create(url == null ? "" : url);
            if (!callbackUrl.isAbsolute() || !callbackUrl.getScheme().matches("https?") || callbackUrl.getHost() == null
                    || callbackUrl.getRawQuery() != null || callbackUrl.getRawFragment() != null) {
                refusal = "callbackUrl must be an absolute http(s) URL without query or fragment, got " + url;
            }
            key = CallbackSignature.decodeSecret(secret);
        } catch (IllegalArgumentException e) {
            refusal = refusal != null ? refusal : "registration of '" + name + "': " + e.getMessage();
        }
        synchronized (lock) {
            if (refusal != null) {
                refusedRegistrations.add(refusal);
            } else {
                registrations.add(new Registration(name, callbackUrl, key, Instant.now()));
            }
            lock.notifyAll();
        }
        if (refusal != null) {
            problem(exchange, 422, "invalid-request", refusal, null);
            return;
        }
        ObjectNode answer = JSON.createObjectNode().put("name", name).put("callbackUrl", url);
        send(exchange, registrations().stream().filter(r -> r.name().equals(name)).count() == 1 ? 201 : 200,
                "application/json", answer);
    }

    private void enlist(HttpExchange exchange, String txId, byte[] body) throws IOException {
        JsonNode request = parse(body);
        String participant = request == null ? null : request.path("participant").asText(null);
        Integer refusal;
        synchronized (lock) {
            enlistments.add(new Enlistment(txId, participant, Instant.now()));
            refusal = enlistRefusals.get(txId);
            lock.notifyAll();
        }
        if (refusal != null) {
            String slug = switch (refusal) {
                case 404 -> "transaction-not-found";
                case 409 -> "transaction-not-active";
                case 422 -> "participant-not-registered";
                default -> "owner-unreachable";
            };
            exchange.getResponseHeaders().add("Retry-After", "1");
            problem(exchange, refusal, slug, "Refused by the conformance suite, as a coordinator may.", txId);
            return;
        }
        ObjectNode tx = JSON.createObjectNode().put("id", txId).put("state", "ACTIVE");
        tx.putArray("branches").addObject().put("participant", participant).put("state", "ENLISTED")
                .put("attempts", 0).putNull("lastError");
        send(exchange, 200, "application/json", tx);
    }

    private void outcome(HttpExchange exchange, String txId) throws IOException {
        if (!TransactionIdSyntax.isWellFormed(txId)) {
            problem(exchange, 400, "invalid-request", "'" + txId + "' cannot be a transaction id.", null);
            return;
        }
        String outcome;
        synchronized (lock) {
            outcome = outcomes.getOrDefault(txId, "ROLLED_BACK"); // presumed abort for ids never made up here
            queries.add(new Query(txId, Instant.now(), outcome));
            lock.notifyAll();
        }
        send(exchange, 200, "application/json", JSON.createObjectNode().put("transactionId", txId).put("outcome", outcome));
    }

    private static JsonNode parse(byte[] body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static void problem(HttpExchange exchange, int status, String slug, String detail, String txId) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("type", ProblemTypes.uri(slug)).put("title", ProblemTypes.title(slug))
                .put("status", status).put("detail", detail);
        if (txId != null) {
            body.put("transactionId", txId);
        }
        send(exchange, status, "application/problem+json", body);
    }

    private static void send(HttpExchange exchange, int status, String type, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
