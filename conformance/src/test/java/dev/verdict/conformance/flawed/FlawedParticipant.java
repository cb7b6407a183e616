package dev.verdict.conformance.flawed;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.verdict.conformance.flawed.Ledger.Reply;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A participant in plain Java, as a team without the kit would write one from docs/protocol.md,
 * over real HTTP on loopback: {@code POST /work} debits one under the Verdict-Transaction header,
 * {@code POST /join} joins without work, {@code POST /work-abort} joins work that cannot be
 * prepared, {@code GET /state} shows the account, and the callbacks live under {@code /verdict}.
 * With {@link Flaw#NONE} it keeps every obligation; any other flaw breaks exactly one.
 */
public final class FlawedParticipant implements AutoCloseable {

    private static final Pattern CALLBACK = Pattern.compile("/verdict/transactions/([^/]+)/([^/]+)");
    private static final Pattern BODY_ID = Pattern.compile("\"transactionId\"\\s*:\\s*\"([^\"]*)\"");

    private final Flaw flaw;
    private final String name;
    private final String coordinator;
    private final Duration askAfter;
    private final Duration askEvery;
    private final String secret;
    private final Ledger ledger;
    private final SignatureCheck signatures;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final HttpServer server;
    private final ScheduledExecutorService background = Executors.newScheduledThreadPool(2);

    /** Starts serving on {@code port}, registers in the background, and asks about what is in doubt. */
    public FlawedParticipant(Flaw flaw, String name, String coordinator, int port, Path store, String secret,
                             Duration askAfter, Duration askEvery) throws IOException {
        this.flaw = flaw;
        this.name = name;
        this.coordinator = coordinator;
        this.askAfter = askAfter;
        this.askEvery = askEvery;
        this.secret = secret;
        this.ledger = new Ledger(flaw, store);
        this.signatures = new SignatureCheck(flaw, secret);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        background.execute(this::register);
        if (flaw != Flaw.NEVER_ASKS) {
            background.scheduleWithFixedDelay(this::askWhatIsInDoubt, askEvery.toMillis(), askEvery.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops at once, as a crash would: nothing is flushed that was not already written. */
    @Override
    public void close() {
        background.shutdownNow();
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getRawPath();
            String txId = exchange.getRequestHeaders().getFirst("Verdict-Transaction");
            Matcher callback = CALLBACK.matcher(path);
            Reply reply;
            if (callback.matches() && exchange.getRequestMethod().equals("POST")) {
                reply = callback(exchange, callback.group(1), callback.group(2), body);
            } else if (path.equals("/work") || path.equals("/join") || path.equals("/work-abort")) {
                reply = work(txId, path.equals("/work") ? 1 : path.equals("/join") ? 0 : 1_000_000);
            } else if (path.equals("/state")) {
                send(exchange, 200, "application/json", ledger.observed(), null);
                return;
            } else {
                reply = Reply.error(404, "not-found", "No such path.");
            }
            answer(exchange, reply, txId);
        }
    }

    private Reply callback(HttpExchange exchange, String id, String action, byte[] body) {
        String refusal = signatures.refusal(exchange, id, action, body);
        if (refusal != null) {
            return Reply.error(401, "callback-not-verified", "Callback refused, nothing changed: " + refusal);
        }
        Matcher bodyId = BODY_ID.matcher(new String(body, StandardCharsets.UTF_8));
        if (flaw != Flaw.IGNORES_BODY_ID && bodyId.find() && !bodyId.group(1).equals(id)) {
            return Reply.error(400, "invalid-request", "The body names transaction " + bodyId.group(1) + ", the path " + id + ".");
        }
        switch (action) {
            case "prepare": {
                Reply vote = ledger.prepare(id);
                if (flaw == Flaw.ASKS_TOO_EARLY) {
                    background.execute(() -> ask(id));
                }
                return vote;
            }
            case "commit": return ledger.commit(id);
            case "rollback": return ledger.rollback(id);
            case "commit-one-phase": return ledger.commitOnePhase(id);
            default:
                return flaw == Flaw.UNKNOWN_ACTION_404 ? Reply.error(404, "not-found", "No such path.")
                        : Reply.error(400, "invalid-request", "'" + action + "' is no action of the protocol.");
        }
    }

    /** Obligation 2: enlist first; only then the work, in one step with the joined record. */
    private Reply work(String txId, long amount) {
        if (txId == null) {
            return Reply.error(400, "invalid-request", "Header Verdict-Transaction is required.");
        }
        if (flaw != Flaw.NO_ENLIST) {
            int status = enlist(txId);
            if (status == 503 || status == 0) {
                return flaw == Flaw.UNAVAILABLE_AS_502 ? Reply.error(502, "coordinator-refused", "Enlisting failed.")
                        : Reply.error(503, "coordinator-unavailable", "The coordinator cannot take the enlistment now; retry.");
            }
            if (status / 100 != 2 && flaw != Flaw.IGNORES_ENLIST_REFUSAL) {
                return Reply.error(status, "coordinator-refused", "The coordinator refused the enlistment (" + status + ").");
            }
        }
        return ledger.join(txId, amount);
    }

    private int enlist(String txId) {
        return call(HttpRequest.newBuilder(URI.create(coordinator + "/transactions/" + txId + "/branches"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"participant\":\"" + name + "\"}")), null);
    }

    private void register() {
        String body = "{\"callbackUrl\":\"" + url() + "/verdict\",\"callbackSecret\":\"" + secret + "\"}";
        while (!Thread.currentThread().isInterrupted()) {
            if (call(HttpRequest.newBuilder(URI.create(coordinator + "/participants/" + name))
                    .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)), null) / 100 == 2) {
                return;
            }
            try {
                Thread.sleep(100); // back-off between attempts while the coordinator is not up yet
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Obligation 6: ask about every transaction that has heard nothing for ask-after. */
    private void askWhatIsInDoubt() {
        for (String id : ledger.waiting(Instant.now().minus(askAfter))) {
            ask(id);
        }
    }

    private void ask(String id) {
        StringBuilder outcome = new StringBuilder();
        call(HttpRequest.newBuilder(URI.create(coordinator + "/transactions/" + id + "/outcome")).GET(), outcome);
        if (flaw == Flaw.IGNORES_OUTCOME) {
            return;
        }
        if (outcome.indexOf("\"COMMITTED\"") >= 0) {
            ledger.commit(id);
        } else if (outcome.indexOf("\"ROLLED_BACK\"") >= 0 && flaw != Flaw.IGNORES_ROLLED_BACK_OUTCOME) {
            ledger.rollback(id);
        }
    }

    /** @return the status, 0 when the coordinator did not answer; the body goes to {@code into} */
    private int call(HttpRequest.Builder request, StringBuilder into) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            if (into != null) {
                into.append(response.body());
            }
            return response.statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private void answer(HttpExchange exchange, Reply reply, String txId) throws IOException {
        if (reply.status() == 200) {
            send(exchange, 200, "application/json", "{\"" + reply.field() + "\":\"" + reply.value() + "\"}", null);
        } else if (flaw == Flaw.PLAIN_TEXT_ERRORS) {
            send(exchange, reply.status(), "text/plain", reply.detail(), null);
        } else {
            String problem = "{\"type\":\"https://verdict.dev/problems/" + reply.slug() + "\",\"status\":" + reply.status()
                    + ",\"detail\":\"" + reply.detail().replace("\"", "'") + "\""
                    + (txId == null ? "" : ",\"transactionId\":\"" + txId + "\"") + "}";
            send(exchange, reply.status(), "application/problem+json", problem, reply.status() == 503 ? "1" : null);
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body, String retryAfter) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        if (retryAfter != null) {
            exchange.getResponseHeaders().set("Retry-After", retryAfter);
        }
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
