package dev.verdict.coordinator.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.coordinator.config.VerdictConfig;
import dev.verdict.coordinator.core.Reply;
import dev.verdict.coordinator.metrics.VerdictMetrics;
import dev.verdict.coordinator.model.Callback;
import dev.verdict.coordinator.port.ParticipantClient;
import dev.verdict.coordinator.port.Tracing;
import dev.verdict.coordinator.service.CallbackPolicy;
import dev.verdict.protocol.CallbackSignature;
import dev.verdict.protocol.Headers;
import dev.verdict.protocol.Outcome;
import dev.verdict.protocol.Vote;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Participant calls on the Vert.x HTTP client: non-blocking, pooled keep-alive connections,
 * TCP_NODELAY (without it a small request can wait 40 ms for a delayed ACK). No thread waits on a call.
 * Each call names the coordinator node that sends it ({@value #NODE_HEADER}), for the
 * participant's logs and for tests that check that one node drives each transaction, and the
 * transaction ({@code Verdict-Transaction}, the id in its path); with tracing on, its span's
 * W3C {@code traceparent} (this client is not instrumented by Quarkus: the trace is injected here).
 */
@ApplicationScoped
public class VertxParticipantClient implements ParticipantClient {

    public static final String NODE_HEADER = "Verdict-Node";

    @Inject
    Vertx vertx;

    @Inject
    VerdictConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    VerdictMetrics metrics;

    @Inject
    CallbackPolicy policy;

    /** Set once the node this client serves is built (the client is one of its ports). */
    private volatile Supplier<String> sender = () -> "unknown";

    private HttpClient client;
    private Context context;

    @PostConstruct
    void start() {
        VerdictConfig.Participants p = config.participant();
        // All calls run on this one event-loop context, which owns the pooled connections; callers
        // are worker threads, and a pool shared across contexts they would each pick is avoided.
        context = vertx.getOrCreateContext();
        client = vertx.createHttpClient(OutboundTls.trusting(config, new HttpClientOptions()
                .setTcpNoDelay(true)
                .setKeepAlive(true)
                .setMaxPoolSize(p.maxConnectionsPerHost())
                .setConnectTimeout((int) p.connectTimeout().toMillis())
                .setName("verdict-participants")));
    }

    @PreDestroy
    void stop() {
        client.close();
    }

    @Override
    public CompletionStage<Reply> prepare(Callback callback, String transactionId, Tracing.Span span) {
        return call(callback, transactionId, span, "prepare", body -> new Reply.Voted(value(body, "vote", Vote.class)));
    }

    @Override
    public CompletionStage<Reply> commit(Callback callback, String transactionId, Tracing.Span span) {
        return call(callback, transactionId, span, "commit", VertxParticipantClient::finished);
    }

    @Override
    public CompletionStage<Reply> rollback(Callback callback, String transactionId, Tracing.Span span) {
        return call(callback, transactionId, span, "rollback", VertxParticipantClient::finished);
    }

    @Override
    public CompletionStage<Reply> commitOnePhase(Callback callback, String transactionId, Tracing.Span span) {
        return call(callback, transactionId, span, "commit-one-phase", VertxParticipantClient::finished);
    }

    private CompletionStage<Reply> call(Callback callback, String txId, Tracing.Span span, String action,
                                        Function<JsonNode, Reply> parse) {
        URI url = URI.create(stripSlash(callback.url().toString()) + "/transactions/"
                + URLEncoder.encode(txId, StandardCharsets.UTF_8) + "/" + action);
        RequestOptions request = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(url.toString())
                .putHeader("Content-Type", "application/json")
                .putHeader("Accept", "application/json")
                .putHeader(NODE_HEADER, sender())
                .putHeader(Headers.TRANSACTION, txId); // equal to the path's id: docs/protocol.md
        if (span != Tracing.NONE) { // traces off: not even the method reference is made
            span.inject(request::putHeader); // traceparent: the participant's span continues this call's
        }
        String body = "{\"transactionId\":\"" + txId + "\"}";
        if (callback.secret() != null) {
            sign(request, callback.secret(), url.getRawPath(), body);
        }
        Promise<Reply> reply = Promise.promise();
        metrics.participantCall(action);
        context.runOnContext(ignored -> connectTo(url, request).onSuccess(checked -> send(checked, body, reply, parse, action))
                .onFailure(refused -> reply.tryComplete(new Reply.Failed(refused.getMessage()))));
        return reply.future().toCompletionStage();
    }

    /** The policy is checked on the address about to be connected to (see {@link CheckedAddress}). */
    private Future<RequestOptions> connectTo(URI url, RequestOptions request) {
        return CheckedAddress.connectTo(vertx, policy, url, request);
    }

    /** The callback signature of docs/protocol.md: the participant checks it before it acts. */
    private static void sign(RequestOptions request, String secret, String path, String body) {
        long timestamp = System.currentTimeMillis() / 1000;
        String nonce = CallbackSignature.newNonce();
        request.putHeader(CallbackSignature.TIMESTAMP, Long.toString(timestamp))
                .putHeader(CallbackSignature.NONCE, nonce)
                .putHeader(CallbackSignature.SIGNATURE, CallbackSignature.sign(CallbackSignature.decodeSecret(secret),
                        "POST", path, timestamp, nonce, body.getBytes(StandardCharsets.UTF_8)));
    }

    /** Names the sending node in every call from now on: {@code name/incarnation}. */
    public void sentBy(Supplier<String> node) {
        this.sender = node;
    }

    private String sender() {
        return sender.get();
    }

    /** Runs on the client's context, so the deadline, the reply and a reset never race. */
    private void send(RequestOptions request, String body, Promise<Reply> reply, Function<JsonNode, Reply> parse,
                      String action) {
        long deadline = config.participant().callTimeout().toMillis();
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        // A hard deadline per call, rather than Vert.x's per-request idle timeout: that one stays armed
        // on the connection after it returns to the pool and can close it under the next request,
        // which then never completes. On expiry the request is reset, so its connection is discarded.
        long timer = vertx.setTimer(deadline, t -> {
            if (reply.tryComplete(new Reply.Failed("no reply within " + deadline + " ms"))) {
                HttpClientRequest req = sent.get();
                if (req != null) {
                    req.reset();
                }
            }
        });
        client.request(request)
                .compose(req -> {
                    sent.set(req);
                    return req.send(Buffer.buffer(body));
                })
                .compose(this::readBody)
                .map(buffer -> parse(buffer, parse, action))
                .otherwise(VertxParticipantClient::failure)
                .onComplete(done -> {
                    vertx.cancelTimer(timer);
                    reply.tryComplete(done.result());
                });
    }

    private Future<Buffer> readBody(HttpClientResponse response) {
        String length = response.getHeader("Content-Length");
        if (length != null && length.length() < 12 && Long.parseLong(length) > config.participant().maxReplyBytes()) {
            response.request().reset();
            return Future.failedFuture(new BadReply("reply of " + length + " bytes exceeds the limit"));
        }
        return response.body().compose(buffer -> {
            if (response.statusCode() / 100 != 2) {
                return Future.failedFuture(new BadReply("HTTP " + response.statusCode() + snippet(buffer)));
            }
            if (buffer.length() > config.participant().maxReplyBytes()) {
                return Future.failedFuture(new BadReply("reply of " + buffer.length() + " bytes exceeds the limit"));
            }
            return Future.succeededFuture(buffer);
        });
    }

    private Reply parse(Buffer buffer, Function<JsonNode, Reply> parse, String action) {
        try {
            JsonNode node = json.readTree(buffer.getBytes());
            if (node == null || !node.isObject()) {
                throw new BadReply("not a JSON object");
            }
            return parse.apply(node);
        } catch (BadReply e) {
            return new Reply.Failed("invalid reply to " + action + ": " + e.getMessage() + snippet(buffer));
        } catch (Exception e) {
            // Not the exception's class: this reason reaches clients (a 409's reason, a branch's lastError).
            return new Reply.Failed("invalid reply to " + action + ": not valid JSON" + snippet(buffer));
        }
    }

    private static Reply finished(JsonNode body) {
        return new Reply.Finished(value(body, "outcome", Outcome.class));
    }

    private static <E extends Enum<E>> E value(JsonNode body, String field, Class<E> type) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual()) {
            throw new BadReply("missing string field '" + field + "'");
        }
        try {
            return Enum.valueOf(type, value.asText());
        } catch (IllegalArgumentException e) {
            throw new BadReply("unknown " + field + " '" + value.asText() + "'");
        }
    }

    private static Reply failure(Throwable t) {
        String message = t.getMessage() == null ? "connection failed" : t.getMessage();
        return new Reply.Failed(message.length() > 300 ? message.substring(0, 300) : message);
    }

    private static String snippet(Buffer buffer) {
        if (buffer == null || buffer.length() == 0) {
            return " (empty body)";
        }
        String text = buffer.getString(0, Math.min(buffer.length(), 120), "UTF-8").replaceAll("\\s+", " ");
        return ": " + text;
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** A reply we received but cannot use. */
    private static final class BadReply extends RuntimeException {
        BadReply(String message) {
            super(message, null, false, false);
        }
    }
}
