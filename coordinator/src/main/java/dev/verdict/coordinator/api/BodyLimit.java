package dev.verdict.coordinator.api;

import dev.verdict.coordinator.metrics.VerdictMetrics;
import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses declared oversize bodies with a problem document before anything reads them. Chunked
 * bodies without a length are still cut at {@code quarkus.http.limits.max-body-size}.
 */
public class BodyLimit {

    @Inject
    VerdictMetrics metrics;

    @ConfigProperty(name = "verdict.http.max-body-bytes", defaultValue = "65536")
    long maxBytes;

    void register(@Observes Filters filters) {
        filters.register(rc -> {
            String length = rc.request().getHeader("Content-Length");
            if (length != null && isOver(length)) {
                metrics.refused("body-too-large");
                rc.response().setStatusCode(413).putHeader("Content-Type", Problems.MEDIA_TYPE)
                        .putHeader("Connection", "close")
                        .end("{\"type\":\"https://verdict.dev/problems/body-too-large\",\"title\":\"Request body too large\","
                                + "\"status\":413,\"detail\":\"Request bodies are limited to " + maxBytes
                                + " bytes (verdict.http.max-body-bytes).\"}");
                return;
            }
            rc.next();
        }, 100);
    }

    private boolean isOver(String length) {
        try {
            return Long.parseLong(length.trim()) > maxBytes;
        } catch (NumberFormatException e) {
            return true;
        }
    }
}
