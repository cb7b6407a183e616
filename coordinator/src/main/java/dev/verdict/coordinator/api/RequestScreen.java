package dev.verdict.coordinator.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Locale;

/**
 * Refuses, with a problem document and before any route acts, requests of a shape no endpoint
 * takes. Paths must be canonical: a path with {@code ;} parameters, an empty segment
 * ({@code //}) or a dot segment would otherwise be matched after the router or JAX-RS stripped or
 * collapsed it, so that {@code /transactions/{id};x=1/commit} committed {@code {id}}. The
 * health and metrics endpoints ({@code /q/...}) are read with GET or HEAD only. A body is sent
 * with a Content-Length (not chunked) and as {@code application/json}: anything else, a form or
 * plain text in particular, is not read at all.
 */
public class RequestScreen {

    @Inject
    ObjectMapper json;

    void register(@Observes Filters filters) {
        filters.register(this::screen, 150); // before BodyLimit (100) and OwnerForwarding (50)
    }

    private void screen(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        ProblemException refusal = refusal(request.method().name(), request.path(), request.headers());
        if (refusal == null) {
            rc.next();
            return;
        }
        if (request.headers().contains("Content-Length") || request.headers().contains("Transfer-Encoding")) {
            rc.response().putHeader("Connection", "close"); // the body is never read
        }
        if (refusal.status() == 405) {
            rc.response().putHeader("Allow", "GET, HEAD");
        }
        Problems.send(rc, json, refusal);
    }

    /** Why a request of this shape is refused, or null to let it through. */
    static ProblemException refusal(String method, String rawPath, MultiMap headers) {
        String path = rawPath == null ? "" : rawPath;
        if (!path.startsWith("/") || path.indexOf(';') >= 0 || path.contains("//") || hasDotSegment(path)) {
            return ProblemException.badRequest("The request path is not in canonical form: it may not hold ';' (path"
                    + " parameters), '//' (empty segments), or '.' and '..' segments. Send ids and names exactly as given.");
        }
        if ((path.equals("/q") || path.startsWith("/q/")) && !method.equals("GET") && !method.equals("HEAD")) {
            return Problems.framework(405);
        }
        if (headers.contains("Transfer-Encoding")) {
            return Problems.framework(411);
        }
        String length = headers.get("Content-Length");
        boolean body = length != null && !length.strip().equals("0");
        List<String> types = headers.getAll("Content-Type");
        if (body && (types.size() != 1 || !isJson(types.get(0)))) {
            return Problems.framework(415);
        }
        return null;
    }

    private static boolean hasDotSegment(String path) {
        for (String segment : path.split("/")) {
            String s = segment.toLowerCase(Locale.ROOT).replace("%2e", ".");
            if (s.equals(".") || s.equals("..")) {
                return true;
            }
        }
        return false;
    }

    /** {@code application/json}, with a charset, if any, of UTF-8: JSON has no other encoding (RFC 8259). */
    static boolean isJson(String contentType) {
        String[] parts = contentType.split(";", -1);
        if (!parts[0].strip().equalsIgnoreCase("application/json")) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String[] parameter = parts[i].split("=", 2);
            if (parameter.length != 2 || parameter[0].isBlank()) {
                return false;
            }
            String value = parameter[1].strip().replace("\"", "");
            if (parameter[0].strip().equalsIgnoreCase("charset") && !value.equalsIgnoreCase("utf-8")) {
                return false;
            }
        }
        return true;
    }
}
