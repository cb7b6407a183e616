package dev.verdict.coordinator.api;

import dev.verdict.coordinator.config.VerdictConfig;
import dev.verdict.coordinator.metrics.VerdictMetrics;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;

/**
 * A request whose body is being read must have sent all of it within {@code verdict.http.body-timeout}
 * of arriving, or it is answered 408 and its connection closed. Bodies here are small JSON
 * documents; a client that trickles one byte at a time would otherwise hold a connection (and the
 * buffers behind it) for as long as it likes, and hundreds of them would starve everyone else.
 *
 * <p>Only a body that is being read and is unfinished counts. A request with no body (a commit
 * that waits for its outcome) is never cut off, and neither is a body nobody reads: Quarkus keeps
 * such a request paused, so it never looks ended, though all of it has arrived. One that sends
 * nothing at all is closed by the idle timeout ({@code quarkus.http.idle-timeout}).
 */
public class BodyDeadline {

    @Inject
    VerdictConfig config;

    @Inject
    Vertx vertx;

    @Inject
    VerdictMetrics metrics;

    void register(@Observes Filters filters) {
        Duration timeout = config.http().bodyTimeout();
        filters.register(rc -> {
            if (!rc.request().isEnded() && hasBody(rc.request().getHeader("Content-Length"))) {
                long timer = vertx.setTimer(timeout.toMillis(), fired -> {
                    if (!rc.request().isEnded() && rc.request().bytesRead() > 0 && !rc.response().ended()) {
                        metrics.refused("body-timeout");
                        rc.response().setStatusCode(408).putHeader("Content-Type", Problems.MEDIA_TYPE)
                                .putHeader("Connection", "close")
                                .end("{\"type\":\"https://verdict.dev/problems/body-too-slow\",\"title\":\"Request body too slow\","
                                        + "\"status\":408,\"detail\":\"The request body did not arrive within " + timeout.toMillis()
                                        + " ms (verdict.http.body-timeout); nothing was done.\"}")
                                .onComplete(sent -> rc.request().connection().close());
                    }
                });
                rc.addEndHandler(done -> vertx.cancelTimer(timer));
            }
            rc.next();
        }, 110); // before BodyLimit (100) and the forwarding of requests to their owner (50)
    }

    private static boolean hasBody(String contentLength) {
        return contentLength != null && !contentLength.strip().equals("0");
    }
}
