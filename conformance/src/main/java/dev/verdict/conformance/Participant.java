package dev.verdict.conformance;

import dev.verdict.protocol.CallbackSignature;
import dev.verdict.protocol.Headers;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * The participant under test as the coordinator sees it: callbacks signed exactly as the
 * coordinator signs them ({@code coordinator/.../client/VertxParticipantClient}), or broken on
 * purpose, and the requests of the command line that make it do work.
 */
public final class Participant {

    /** What a callback carries; a check changes one thing to see it refused. */
    public record Callback(String txId, String action, String path, String body, String signedPath, String signedBody,
                           long timestamp, String nonce, byte[] key, boolean signed) {

        public Callback withBody(String newBody) {
            return new Callback(txId, action, path, newBody, signedPath, signedBody, timestamp, nonce, key, signed);
        }

        /** The same body sent, a different one signed: what tampering with the body in transit looks like. */
        public Callback signingBody(String other) {
            return new Callback(txId, action, path, body, signedPath, other, timestamp, nonce, key, signed);
        }

        public Callback signingPath(String other) {
            return new Callback(txId, action, path, body, other, signedBody, timestamp, nonce, key, signed);
        }

        public Callback at(long epochSeconds) {
            return new Callback(txId, action, path, body, signedPath, signedBody, epochSeconds, nonce, key, signed);
        }

        public Callback withNonce(String other) {
            return new Callback(txId, action, path, body, signedPath, signedBody, timestamp, other, key, signed);
        }

        public Callback signedWith(byte[] otherKey) {
            return new Callback(txId, action, path, body, signedPath, signedBody, timestamp, nonce, otherKey, signed);
        }

        public Callback unsigned() {
            return new Callback(txId, action, path, body, signedPath, signedBody, timestamp, nonce, key, false);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final Options options;
    private volatile FakeCoordinator.Registration registration;

    Participant(Options options) {
        this.options = options;
    }

    void registeredAs(FakeCoordinator.Registration registration) {
        this.registration = registration;
    }

    public FakeCoordinator.Registration registration() {
        return registration;
    }

    /** A callback as the coordinator sends it: body {"transactionId": id}, signed now with a fresh nonce. */
    public Callback callback(String txId, String action) {
        String base = registration.callbackUrl().getRawPath();
        String path = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/transactions/" + txId + "/" + action;
        String body = "{\"transactionId\":\"" + txId + "\"}";
        return new Callback(txId, action, path, body, path, body, System.currentTimeMillis() / 1000,
                CallbackSignature.newNonce(), registration.secret(), true);
    }

    /** Sends a callback once; an unreachable participant is an answer with status 0. */
    public Answer send(Callback c) throws InterruptedException {
        URI base = registration.callbackUrl();
        URI url = URI.create(base.getScheme() + "://" + base.getRawAuthority() + c.path());
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(options.callTimeout)
                .POST(HttpRequest.BodyPublishers.ofString(c.body()))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header(Headers.TRANSACTION, c.txId())
                .header("Verdict-Node", "conformance/1");
        if (c.signed()) {
            request.header(CallbackSignature.TIMESTAMP, Long.toString(c.timestamp()))
                    .header(CallbackSignature.NONCE, c.nonce())
                    .header(CallbackSignature.SIGNATURE, CallbackSignature.sign(c.key(), "POST", c.signedPath(),
                            c.timestamp(), c.nonce(), c.signedBody().getBytes(StandardCharsets.UTF_8)));
        }
        return exchange(request.build(), c.action() + " " + c.txId() + (c.body().equals("{\"transactionId\":\"" + c.txId() + "\"}") ? "" : " body " + c.body()));
    }

    /** The command line's request for {@code template} under {@code txId}. */
    public Answer work(RequestTemplate template, String txId) throws InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(template.url()).timeout(Duration.ofSeconds(30))
                .method(template.method(), template.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(template.body()));
        boolean typed = false;
        for (String h : options.workHeaders) {
            int colon = h.indexOf(':');
            String name = h.substring(0, colon).strip();
            typed |= name.equalsIgnoreCase("Content-Type");
            request.header(name, h.substring(colon + 1).strip());
        }
        if (template.body() != null && !typed) {
            request.header("Content-Type", "application/json");
        }
        if (txId != null) {
            request.header(Headers.TRANSACTION, txId);
        }
        return exchange(request.build(), template.method() + " " + template.url().getRawPath() + (txId == null ? "" : " under " + txId));
    }

    private Answer exchange(HttpRequest request, String description) throws InterruptedException {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            List<String> type = response.headers().allValues("Content-Type");
            return new Answer(description, response.statusCode(), type.isEmpty() ? null : type.get(0),
                    response.headers().firstValue("Retry-After").orElse(null), response.body());
        } catch (IOException e) {
            return new Answer(description, 0, null, null, "no answer: " + e);
        }
    }
}
