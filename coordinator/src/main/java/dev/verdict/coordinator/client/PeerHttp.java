package dev.verdict.coordinator.client;

import dev.verdict.coordinator.config.VerdictConfig;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * HTTP between coordinator nodes: requests forwarded to a transaction's owner, and status asked
 * of every live node. Non-blocking, pooled keep-alive connections, TCP_NODELAY, a hard deadline
 * per request (as for participants: an idle timeout would stay armed on a pooled connection).
 */
@ApplicationScoped
public class PeerHttp {

    /** A peer's whole answer. */
    public record Answer(int status, MultiMap headers, Buffer body) {}

    /** Connections to each peer, and requests that may wait for one: beyond, a request fails at once. */
    private static final int MAX_CONNECTIONS = 64;
    private static final int MAX_WAITING = 1_000;

    @Inject
    Vertx vertx;

    @Inject
    VerdictConfig config;

    private HttpClient client;

    @PostConstruct
    void start() {
        client = vertx.createHttpClient(OutboundTls.trusting(config, new HttpClientOptions().setTcpNoDelay(true)
                        .setKeepAlive(true).setConnectTimeout(2_000).setName("verdict-peers")),
                new PoolOptions().setHttp1MaxSize(MAX_CONNECTIONS).setMaxWaitQueueSize(MAX_WAITING));
    }

    @PreDestroy
    void stop() {
        client.close();
    }

    /** Fails when the peer cannot be reached or does not answer within {@code deadline}. */
    public Future<Answer> send(String baseUrl, HttpMethod method, String uri, MultiMap headers, Buffer body, Duration deadline) {
        RequestOptions options = new RequestOptions().setMethod(method).setAbsoluteURI(stripSlash(baseUrl) + uri)
                .setHeaders(headers);
        Promise<Answer> answer = Promise.promise();
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        long timer = vertx.setTimer(Math.max(1, deadline.toMillis()), t -> {
            if (answer.tryFail("no answer within " + deadline.toMillis() + " ms")) {
                HttpClientRequest request = sent.get();
                if (request != null) {
                    request.reset();
                }
            }
        });
        client.request(options)
                .compose(request -> {
                    if (answer.future().isComplete()) {
                        request.reset(); // its deadline passed while it waited for a connection: never send it
                        return Future.failedFuture("deadline passed before sending");
                    }
                    sent.set(request);
                    return body == null ? request.send() : request.send(body);
                })
                .compose(response -> response.body().map(b -> new Answer(response.statusCode(), response.headers(), b)))
                .onComplete(done -> {
                    vertx.cancelTimer(timer);
                    if (done.succeeded()) {
                        answer.tryComplete(done.result());
                    } else {
                        answer.tryFail(done.cause());
                    }
                });
        return answer.future();
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
