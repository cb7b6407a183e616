package dev.verdict.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OTLP/HTTP receiver that reads and discards every export ({@code --tracing true}): the
 * coordinator pays the whole cost of its traces (spans, batching, protobuf, HTTP on loopback) and
 * nothing is kept. A process of its own, so its CPU is counted in no column of the report.
 * {@code GET /_sink} answers how many exports and bytes it has taken.
 */
public final class TraceSink {

    public static void main(String[] args) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        AtomicLong exports = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        vertx.createHttpServer(new HttpServerOptions().setTcpNoDelay(true).setHost("127.0.0.1"))
                .requestHandler(request -> request.body().onSuccess(body -> {
                    if (request.path().equals("/_sink")) {
                        request.response().putHeader("Content-Type", "application/json")
                                .end("{\"exports\":" + exports.get() + ",\"bytes\":" + bytes.get() + "}");
                        return;
                    }
                    exports.incrementAndGet();
                    bytes.addAndGet(body.length());
                    request.response().setStatusCode(200).putHeader("Content-Type", "application/x-protobuf").end(Buffer.buffer());
                }))
                .listen(Integer.parseInt(args[0])).toCompletionStage().toCompletableFuture().join();
        System.out.println("trace sink listening on " + args[0]);
    }
}
