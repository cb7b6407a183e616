package dev.verdict.participant.kit;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error of this service as problem+json; stack traces only in the log. */
public class KitProblemMapper {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private static final Logger LOG = Logger.getLogger(KitProblemMapper.class);

    @ServerExceptionMapper
    public Response problem(KitProblem e) {
        return respond(e.status, e.slug, e.getMessage());
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return respond(403, "forbidden", "This credential's roles do not allow this request (docs/security.md).");
    }

    @ServerExceptionMapper
    public Response unauthenticated(UnauthorizedException e) {
        return Response.fromResponse(respond(401, "unauthenticated",
                "Send a credential: 'Authorization: Bearer <API key or JWT>' (docs/security.md).")).header("WWW-Authenticate", "Bearer").build();
    }

    @ServerExceptionMapper(priority = 1)
    public Response malformed(JsonProcessingException e) {
        return respond(400, "malformed-json", "The request body is not valid JSON: " + e.getOriginalMessage());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return status >= 500 ? unexpected(e) : respond(status, "http-" + status, e.getMessage());
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        LOG.error("unexpected error", e);
        return respond(500, "internal-error", "Unexpected error; see this service's log.");
    }

    static Response respond(int status, String slug, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "https://verdict.dev/problems/" + slug);
        body.put("title", slug.replace('-', ' '));
        body.put("status", status);
        body.put("detail", detail);
        try {
            return Response.status(status).type("application/problem+json").entity(JSON.writeValueAsString(body)).build();
        } catch (JsonProcessingException impossible) {
            return Response.status(status).build();
        }
    }
}
