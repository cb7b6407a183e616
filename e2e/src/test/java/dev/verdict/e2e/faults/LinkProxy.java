package dev.verdict.e2e.faults;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.RequestOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HTTP proxy on the coordinator's link to one participant, which the test tells how to
 * misbehave per callback action ({@code prepare}, {@code commit}, {@code rollback},
 * {@code commit-one-phase}). It sees real requests from the real coordinator process, so "the
 * participant applied the commit but the reply was lost" is exactly that: forwarded, answered,
 * and the answer replaced by a connection reset.
 */
public final class LinkProxy implements AutoCloseable {

    /** What happens to a matching request. */
    public enum Fault {
        /** Forward and relay the answer. */
        PASS,
        /** Forward (the participant acts), then reset the connection instead of answering. */
        LOSE_REPLY,
        /** Do not forward; answer 200 with a body that is not JSON. */
        GARBAGE,
        /** Do not forward; answer 200 with an empty body. */
        EMPTY,
        /** Do not forward; answer 500. */
        ERROR_500,
        /** Do not forward; reset the connection. */
        RESET,
        /** Do not forward yet: keep the request until {@link #release} or {@link #dropHeld}. */
        HOLD,
        /** Forward after {@code delayMs}. */
        DELAY
    }

    private static final Pattern CALLBACK = Pattern.compile(".*/transactions/([^/]+)/([a-z-]+)$");

    private final Vertx vertx;
    private final HttpServer server;
    private final HttpClient client;
    private final int targetPort;
    private final Map<String, Fault> faults = new ConcurrentHashMap<>();
    private volatile long delayMs;
    private final List<Runnable> held = new ArrayList<>();
    private final List<HttpServerRequest> heldRequests = new ArrayList<>();
    private final Map<String, AtomicInteger> delivered = new ConcurrentHashMap<>();
    private final Map<String, List<String>> senders = new ConcurrentHashMap<>();

    public LinkProxy(Vertx vertx, int targetPort) throws Exception {
        this.vertx = vertx;
        this.targetPort = targetPort;
        this.client = vertx.createHttpClient(new HttpClientOptions().setTcpNoDelay(true).setKeepAlive(false));
        this.server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setTcpNoDelay(true))
                .requestHandler(this::handle);
        server.listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public int port() {
        return server.actualPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** From now on, requests for {@code action} meet {@code fault}. */
    public LinkProxy on(String action, Fault fault) {
        faults.put(action, fault);
        return this;
    }

    /** Every callback action meets {@code fault}: a frozen ({@code HOLD}) or dead link. */
    public LinkProxy all(Fault fault) {
        for (String action : List.of("prepare", "commit", "rollback", "commit-one-phase")) {
            faults.put(action, fault);
        }
        return this;
    }

    public LinkProxy delay(long millis) {
        this.delayMs = millis;
        return this;
    }

    /** Every action passes again; held requests stay held until released or dropped. */
    public LinkProxy heal() {
        faults.clear();
        return this;
    }

    /** Forwards the held requests now. */
    public synchronized void release() {
        held.forEach(Runnable::run);
        held.clear();
        heldRequests.clear();
    }

    /** Resets the held requests' connections without forwarding them. */
    public synchronized void dropHeld() {
        heldRequests.forEach(r -> r.connection().close());
        held.clear();
        heldRequests.clear();
    }

    public synchronized int heldCount() {
        return held.size();
    }

    /**
     * The coordinator nodes ({@code Verdict-Node}: name/incarnation) that sent each request for
     * {@code action} on {@code tx} that reached the participant, in order.
     */
    public List<String> senders(String action, String tx) {
        return List.copyOf(senders.getOrDefault(action + " " + tx, List.of()));
    }

    /** Requests for {@code action} on {@code tx} that reached the participant. */
    public int delivered(String action, String tx) {
        AtomicInteger n = delivered.get(action + " " + tx);
        return n == null ? 0 : n.get();
    }

    private void handle(HttpServerRequest request) {
        Matcher m = CALLBACK.matcher(request.path());
        String tx = m.matches() ? m.group(1) : "";
        String action = m.matches() ? m.group(2) : "";
        Fault fault = faults.getOrDefault(action, Fault.PASS);
        request.body().onSuccess(body -> {
            switch (fault) {
                case GARBAGE -> request.response().putHeader("content-type", "application/json").end("!garbage{");
                case EMPTY -> request.response().putHeader("content-type", "application/json").end();
                case ERROR_500 -> request.response().setStatusCode(500).end("{\"oops\":true}");
                case RESET -> request.connection().close();
                case HOLD -> hold(request, () -> forward(request, body, action, tx, false));
                case DELAY -> vertx.setTimer(Math.max(1, delayMs), t -> forward(request, body, action, tx, false));
                case LOSE_REPLY -> forward(request, body, action, tx, true);
                default -> forward(request, body, action, tx, false);
            }
        });
    }

    private synchronized void hold(HttpServerRequest request, Runnable forward) {
        heldRequests.add(request);
        held.add(forward);
    }

    private void forward(HttpServerRequest in, Buffer body, String action, String tx, boolean loseReply) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.valueOf(in.method().name()))
                .setHost("127.0.0.1").setPort(targetPort).setURI(in.uri());
        client.request(options)
                .compose(out -> {
                    in.headers().forEach(h -> {
                        if (!h.getKey().equalsIgnoreCase("host")) {
                            out.putHeader(h.getKey(), h.getValue());
                        }
                    });
                    return out.send(body);
                })
                .compose(resp -> resp.body().map(b -> {
                    delivered.computeIfAbsent(action + " " + tx, k -> new AtomicInteger()).incrementAndGet();
                    senders.computeIfAbsent(action + " " + tx, k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                            .add(String.valueOf(in.getHeader("Verdict-Node")));
                    if (loseReply) {
                        in.connection().close();
                    } else {
                        in.response().setStatusCode(resp.statusCode());
                        String type = resp.getHeader("content-type");
                        if (type != null) {
                            in.response().putHeader("content-type", type);
                        }
                        in.response().end(b);
                    }
                    return b;
                }))
                .onFailure(e -> in.connection().close()); // participant unreachable: so is the link
    }

    @Override
    public void close() {
        server.close();
        client.close();
    }
}
