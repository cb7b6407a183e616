package dev.verdict.coordinator.api;

import dev.verdict.protocol.CallbackSignature;
import dev.verdict.protocol.Headers;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemKeyCertOptions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real participant over real HTTP (a Vert.x server on a loopback port) whose answers a test
 * scripts per transaction: a vote, a number of failures before phase 2 succeeds, or garbage. Like
 * any participant it refuses, with 401, a call not signed with its secret (docs/protocol.md).
 */
final class ScriptedParticipant implements AutoCloseable {

    final String name;
    final String secret = CallbackSignature.newSecret();
    final List<String> calls = new CopyOnWriteArrayList<>();
    /** "action id header" per call: the Verdict-Transaction header each call carried (null if none). */
    final List<String> transactionHeaders = new CopyOnWriteArrayList<>();
    /** Calls refused for a missing or wrong signature. */
    final List<String> refused = new CopyOnWriteArrayList<>();
    private final Map<String, String> votes = new ConcurrentHashMap<>();
    private final Map<String, Integer> phaseTwoFailures = new ConcurrentHashMap<>();
    private final Map<String, String> phaseTwoOutcomes = new ConcurrentHashMap<>();
    private final HttpServer server;

    private final boolean https;

    ScriptedParticipant(Vertx vertx, String name) throws Exception {
        this(vertx, name, null);
    }

    /** @param certificate served over HTTPS with src/test/resources/tls/{certificate}.crt and .key; null: plain HTTP */
    ScriptedParticipant(Vertx vertx, String name, String certificate) throws Exception {
        this.name = name;
        this.https = certificate != null;
        HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setTcpNoDelay(true);
        if (https) {
            options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                    .setCertPath("src/test/resources/tls/" + certificate + ".crt")
                    .setKeyPath("src/test/resources/tls/" + certificate + ".key"));
        }
        this.server = vertx.createHttpServer(options)
                .requestHandler(req -> req.body().onSuccess(body -> {
                    String[] parts = req.path().split("/"); // /verdict/transactions/{id}/{action}
                    String tx = parts[3];
                    String action = parts[4];
                    var res = req.response().putHeader("Content-Type", "application/json");
                    if (!signed(req, body.getBytes())) {
                        refused.add(action + " " + tx);
                        res.setStatusCode(401).end("{\"error\":\"bad signature\"}");
                        return;
                    }
                    calls.add(action + " " + tx);
                    transactionHeaders.add(action + " " + tx + " " + req.getHeader(Headers.TRANSACTION));
                    if (action.equals("prepare")) {
                        String vote = votes.getOrDefault(tx, "PREPARED");
                        if (vote.equals("HANG")) {
                            return; // accept the call, never answer
                        }
                        res.end(vote.startsWith("!") ? vote.substring(1) : "{\"vote\":\"" + vote + "\"}");
                        return;
                    }
                    int failures = phaseTwoFailures.getOrDefault(tx, 0);
                    if (failures > 0) {
                        phaseTwoFailures.put(tx, failures - 1);
                        res.setStatusCode(500).end("{\"oops\":true}");
                        return;
                    }
                    String outcome = phaseTwoOutcomes.getOrDefault(tx, action.equals("rollback") ? "ROLLED_BACK" : "COMMITTED");
                    res.end("{\"outcome\":\"" + outcome + "\"}");
                }))
                .listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private boolean signed(HttpServerRequest req, byte[] body) {
        String timestamp = req.getHeader(CallbackSignature.TIMESTAMP);
        return timestamp != null && timestamp.matches("[0-9]{1,12}") && CallbackSignature.matches(
                CallbackSignature.decodeSecret(secret), req.method().name(), req.path(), Long.parseLong(timestamp),
                req.getHeader(CallbackSignature.NONCE), body, req.getHeader(CallbackSignature.SIGNATURE));
    }

    String callbackUrl() {
        return https ? "https://localhost:" + server.actualPort() + "/verdict"
                : "http://127.0.0.1:" + server.actualPort() + "/verdict";
    }

    /** PREPARED, READ_ONLY, ABORT, HANG (never answer), or "!raw body" to answer garbage. */
    ScriptedParticipant vote(String tx, String vote) {
        votes.put(tx, vote);
        return this;
    }

    ScriptedParticipant failPhaseTwo(String tx, int times) {
        phaseTwoFailures.put(tx, times);
        return this;
    }

    /** Answer phase 2 with this outcome whatever was asked: a heuristic decision of the participant. */
    ScriptedParticipant reportPhaseTwo(String tx, String outcome) {
        phaseTwoOutcomes.put(tx, outcome);
        return this;
    }

    List<String> callsFor(String tx) {
        return calls.stream().filter(c -> c.endsWith(" " + tx)).map(c -> c.substring(0, c.indexOf(' '))).toList();
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
