package dev.verdict.participant.kit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.protocol.ProblemTypes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The kit's own errors as problem+json, wherever a service's JAX-RS method lets one through. Only
 * {@link KitProblem}: every other exception stays the service's to map (a service may reuse
 * {@link #problem} for its own).
 */
@ApplicationScoped
public class KitProblemMapper {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ServerExceptionMapper
    public Response problem(KitProblem e) {
        Response.ResponseBuilder r = Response.status(e.status()).type("application/problem+json").entity(body(e));
        if (e.retryAfterSeconds() != null) {
            r.header("Retry-After", e.retryAfterSeconds());
        }
        return r.build();
    }

    /** The problem document, also written by the callback routes, which JAX-RS does not serve. */
    static String body(KitProblem e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", ProblemTypes.uri(e.slug()));
        body.put("title", ProblemTypes.title(e.slug()));
        body.put("status", e.status());
        body.put("detail", e.getMessage());
        if (e.transactionId() != null) {
            body.put("transactionId", e.transactionId());
        }
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
