package dev.verdict.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The load generator's HTTP: Vert.x, non-blocking, keep-alive, TCP_NODELAY, so the generator adds
 * as little as it can to what it measures. Loopback only.
 */
final class Http {

    record Reply(int status, String transactionHeader, Buffer body) {
        String text() {
            return body == null ? "" : body.toString();
        }
    }

    private static final long DEADLINE_MS = 30_000;

    private final Vertx vertx;
    private final Context context;
    private final HttpClient client;

    /** @param context the one event loop every call runs on, whoever makes it */
    Http(Context context, int connectionsPerHost) {
        this.vertx = context.owner();
        this.context = context;
        client = vertx.createHttpClient(new HttpClientOptions()
                        .setTcpNoDelay(true)
                        .setKeepAlive(true)
                        .setConnectTimeout(2_000)
                        .setDefaultHost("127.0.0.1"),
                new PoolOptions().setHttp1MaxSize(connectionsPerHost).setMaxWaitQueueSize(-1));
    }

    Future<Reply> post(int port, String path, String json) {
        return send(HttpMethod.POST, port, path, json);
    }

    Future<Reply> put(int port, String path, String json) {
        return send(HttpMethod.PUT, port, path, json);
    }

    Future<Reply> get(int port, String path) {
        return send(HttpMethod.GET, port, path, null);
    }

    private Future<Reply> send(HttpMethod method, int port, String path, String json) {
        if (Vertx.currentContext() != context) {
            // Calls from the main thread hop onto the loop: a pooled connection is then only ever
            // used from the context that owns it.
            Promise<Reply> hopped = Promise.promise();
            context.runOnContext(ignored -> send(method, port, path, json).onComplete(hopped));
            return hopped.future();
        }
        RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(path)
                .putHeader("Accept", "application/json").putHeader("Authorization", Credential.HEADER);
        if (json != null) {
            options.putHeader("Content-Type", "application/json");
        }
        // A stalled call becomes an error instead of stalling its client for ever. A hard deadline,
        // not Vert.x's idle timeout, which stays armed on a pooled connection and can kill the next
        // request on it (see the coordinator's VertxParticipantClient).
        Promise<Reply> reply = Promise.promise();
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        long timer = vertx.setTimer(DEADLINE_MS, t -> {
            if (reply.tryFail("no answer from port " + port + " within " + DEADLINE_MS + " ms")) {
                Optional.ofNullable(sent.get()).ifPresent(HttpClientRequest::reset);
            }
        });
        client.request(options)
                .compose(request -> {
                    sent.set(request);
                    return json == null ? request.send() : request.send(json);
                })
                .compose(response -> response.body().map(body ->
                        new Reply(response.statusCode(), response.getHeader("Verdict-Transaction"), body)))
                .onComplete(done -> {
                    vertx.cancelTimer(timer);
                    if (done.succeeded()) {
                        reply.tryComplete(done.result());
                    } else {
                        reply.tryFail(done.cause());
                    }
                });
        return reply.future();
    }

    Future<Void> close() {
        return client.close();
    }
}
