package dev.verdict.e2e.faults;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * What a Kubernetes Service does in front of the coordinator replicas, on loopback: each request
 * goes to a backend chosen at random, so consecutive requests of one transaction land on
 * different replicas. A backend that refuses the connection (killed, or restarting) is skipped
 * for that request; a request once sent is never sent again.
 */
public final class Balancer implements AutoCloseable {

    private static final List<String> RELAYED = List.of("Content-Type", "Location", "Retry-After", "Verdict-Transaction");

    private final HttpServer server;
    private final HttpClient client;
    private final List<Integer> backends;
    private final Random random;

    public Balancer(Vertx vertx, List<Integer> backendPorts, long seed) throws Exception {
        this.backends = List.copyOf(backendPorts);
        this.random = new Random(seed);
        this.client = vertx.createHttpClient(new HttpClientOptions().setTcpNoDelay(true).setKeepAlive(false)
                .setConnectTimeout(1_000));
        this.server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setTcpNoDelay(true))
                .requestHandler(this::handle);
        server.listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public String url() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    private void handle(HttpServerRequest in) {
        List<Integer> order = new ArrayList<>(backends);
        synchronized (random) {
            Collections.shuffle(order, random);
        }
        in.body().onSuccess(body -> connect(in, order, 0).onSuccess(out -> relay(in, out, body))
                .onFailure(e -> in.response().setStatusCode(503).end()));
    }

    /** The first backend, in {@code order}, that accepts a connection. */
    private Future<HttpClientRequest> connect(HttpServerRequest in, List<Integer> order, int index) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.valueOf(in.method().name()))
                .setHost("127.0.0.1").setPort(order.get(index)).setURI(in.uri());
        return client.request(options).recover(e -> index + 1 < order.size() ? connect(in, order, index + 1)
                : Future.failedFuture(e));
    }

    private void relay(HttpServerRequest in, HttpClientRequest out, Buffer body) {
        in.headers().forEach(h -> {
            if (!h.getKey().equalsIgnoreCase("host")) {
                out.putHeader(h.getKey(), h.getValue());
            }
        });
        out.send(body).compose(resp -> resp.body().map(b -> {
            in.response().setStatusCode(resp.statusCode());
            for (String name : RELAYED) {
                String value = resp.getHeader(name);
                if (value != null) {
                    in.response().putHeader(name, value);
                }
            }
            in.response().end(b);
            return b;
        })).onFailure(e -> in.connection().close()); // lost on the way: the client sees a reset
    }

    @Override
    public void close() {
        server.close();
        client.close();
    }
}
