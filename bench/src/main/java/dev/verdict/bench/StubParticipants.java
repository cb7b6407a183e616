package dev.verdict.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Light stand-ins for participant services, one HTTP server per participant in one process. They
 * keep no state and answer at once (or after the configured delay) from the event loop, with
 * TCP_NODELAY, so what the benchmark measures is the coordinator, not the participants.
 *
 * <p>Control: {@code POST /_stub {"delayMs":1,"abortEvery":10,"failPhaseTwo":false}} sets one
 * stub's behaviour; {@code GET /_stub} reads its call counters.
 */
public final class StubParticipants {

    static String name(int index) {
        return "stub-" + (char) ('a' + index);
    }

    /** One stub: its behaviour, changed between runs, and its counters. */
    private static final class Stub {
        volatile int delayMs;
        volatile int abortEvery;
        volatile boolean failPhaseTwo;
        final AtomicLong prepares = new AtomicLong();
        final AtomicLong commits = new AtomicLong();
        final AtomicLong rollbacks = new AtomicLong();
        final AtomicLong onePhase = new AtomicLong();
        final AtomicLong refused = new AtomicLong();
    }

    public static void main(String[] args) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        for (String port : args) {
            Stub stub = new Stub();
            HttpServer server = vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true).setHost("127.0.0.1"));
            server.requestHandler(request -> request.body().onSuccess(body -> handle(vertx, stub, request, body.toString())))
                    .listen(Integer.parseInt(port)).toCompletionStage().toCompletableFuture().join();
        }
        System.out.println("stub participants listening on " + String.join(", ", args));
    }

    private static void handle(Vertx vertx, Stub stub, HttpServerRequest request, String body) {
        String path = request.path();
        if (path.equals("/_stub")) {
            control(stub, request, body);
            return;
        }
        String action = path.substring(path.lastIndexOf('/') + 1);
        int status = 200;
        String answer;
        switch (action) {
            case "prepare" -> {
                long n = stub.prepares.incrementAndGet();
                answer = stub.abortEvery > 0 && n % stub.abortEvery == 0 ? "{\"vote\":\"ABORT\"}" : "{\"vote\":\"PREPARED\"}";
            }
            case "commit" -> {
                if (stub.failPhaseTwo) {
                    stub.refused.incrementAndGet();
                    status = 503;
                    answer = "{\"title\":\"stub told to refuse phase two\"}";
                } else {
                    stub.commits.incrementAndGet();
                    answer = "{\"outcome\":\"COMMITTED\"}";
                }
            }
            case "rollback" -> {
                stub.rollbacks.incrementAndGet();
                answer = "{\"outcome\":\"ROLLED_BACK\"}";
            }
            case "commit-one-phase" -> {
                stub.onePhase.incrementAndGet();
                answer = "{\"outcome\":\"COMMITTED\"}";
            }
            default -> {
                status = 404;
                answer = "{\"title\":\"no such action\"}";
            }
        }
        int code = status;
        if (stub.delayMs > 0) {
            vertx.setTimer(stub.delayMs, t -> reply(request, code, answer));
        } else {
            reply(request, code, answer);
        }
    }

    private static void control(Stub stub, HttpServerRequest request, String body) {
        if (request.method().name().equals("POST")) {
            JsonObject settings = new JsonObject(body);
            stub.delayMs = settings.getInteger("delayMs", 0);
            stub.abortEvery = settings.getInteger("abortEvery", 0);
            stub.failPhaseTwo = settings.getBoolean("failPhaseTwo", false);
        }
        reply(request, 200, new JsonObject()
                .put("prepare", stub.prepares.get()).put("commit", stub.commits.get())
                .put("rollback", stub.rollbacks.get()).put("commitOnePhase", stub.onePhase.get())
                .put("refused", stub.refused.get()).encode());
    }

    private static void reply(HttpServerRequest request, int status, String json) {
        request.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(json);
    }
}
