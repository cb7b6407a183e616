package dev.verdict.coordinator.client;

import dev.verdict.coordinator.config.VerdictConfig;
import dev.verdict.coordinator.port.AlertChannel;
import dev.verdict.coordinator.service.CallbackPolicy;
import dev.verdict.protocol.CallbackSignature;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Alert webhooks on the Vert.x client, as participant callbacks are made: the address checked by
 * the {@link CallbackPolicy} at every call, {@code verdict.tls.trust-certs} trusted, a hard deadline,
 * and each POST signed like a callback ({@link CallbackSignature}, under {@code verdict.alerts.secret})
 * so a receiver can tell an alert from a forgery.
 */
@ApplicationScoped
public class WebhookClient implements AlertChannel {

    @Inject
    Vertx vertx;

    @Inject
    VerdictConfig config;

    @Inject
    CallbackPolicy policy;

    private HttpClient client;
    private Context context;
    private byte[] secret;

    @PostConstruct
    void start() {
        config.alerts().secret().ifPresent(s -> secret = CallbackSignature.decodeSecret(s));
        context = vertx.getOrCreateContext();
        client = vertx.createHttpClient(OutboundTls.trusting(config, new HttpClientOptions().setTcpNoDelay(true)
                .setKeepAlive(true).setMaxPoolSize(4)
                .setConnectTimeout((int) config.participant().connectTimeout().toMillis()).setName("verdict-alerts")));
    }

    @PreDestroy
    void stop() {
        client.close();
    }

    @Override
    public CompletionStage<Void> post(URI webhook, byte[] json) {
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(webhook.toString())
                .putHeader("Content-Type", "application/json");
        if (secret != null) {
            long timestamp = System.currentTimeMillis() / 1000;
            String nonce = CallbackSignature.newNonce();
            String path = webhook.getRawPath() == null || webhook.getRawPath().isEmpty() ? "/" : webhook.getRawPath();
            request.putHeader(CallbackSignature.TIMESTAMP, Long.toString(timestamp))
                    .putHeader(CallbackSignature.NONCE, nonce)
                    .putHeader(CallbackSignature.SIGNATURE, CallbackSignature.sign(secret, "POST", path, timestamp, nonce, json));
        }
        Promise<Void> done = Promise.promise();
        context.runOnContext(ignored -> CheckedAddress.connectTo(vertx, policy, webhook, request)
                .onSuccess(checked -> send(checked, json, done))
                .onFailure(done::tryFail));
        return done.future().toCompletionStage();
    }

    /** On the client's context: the deadline, the answer and a reset never race. */
    private void send(RequestOptions request, byte[] json, Promise<Void> done) {
        long deadline = config.participant().callTimeout().toMillis();
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        long timer = vertx.setTimer(deadline, t -> {
            if (done.tryFail("no answer within " + deadline + " ms")) {
                HttpClientRequest req = sent.get();
                if (req != null) {
                    req.reset();
                }
            }
        });
        client.request(request)
                .compose(req -> {
                    sent.set(req);
                    return req.send(Buffer.buffer(json));
                })
                .compose(response -> {
                    response.handler(ignored -> { }); // the receiver's body is not needed: read and dropped, never buffered
                    return response.end().map(v -> response.statusCode());
                })
                .onComplete(answer -> {
                    vertx.cancelTimer(timer);
                    if (answer.failed()) {
                        done.tryFail(answer.cause());
                    } else if (answer.result() / 100 != 2) {
                        done.tryFail("answered HTTP " + answer.result());
                    } else {
                        done.tryComplete();
                    }
                });
    }
}
