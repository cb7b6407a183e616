package dev.verdict.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

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

    private final HttpClient client;

    Http(Vertx vertx, int connectionsPerHost) {
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
        // A stalled call becomes an error instead of stalling its client for ever.
        RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(path)
                .setIdleTimeout(30_000).putHeader("Accept", "application/json");
        if (json != null) {
            options.putHeader("Content-Type", "application/json");
        }
        return client.request(options)
                .compose(request -> json == null ? request.send() : request.send(json))
                .compose(response -> response.body().map(body ->
                        new Reply(response.statusCode(), response.getHeader("Verdict-Transaction"), body)));
    }

    Future<Void> close() {
        return client.close();
    }
}
