package dev.verdict.bank;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.verdict.participant.kit.KitProblem;
import dev.verdict.participant.kit.KitProblemMapper;
import dev.verdict.participant.kit.Unavailability;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The bank's choice, not the kit's: every other error of its API as problem+json too, stack traces
 * only in the log, and a database that cannot be reached as 503 with Retry-After.
 */
public class BankErrors {

    private static final Logger LOG = Logger.getLogger(BankErrors.class);

    @Inject
    KitProblemMapper problems;

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return problems.problem(new KitProblem(403, "forbidden", "This credential's roles do not allow this request (docs/security.md)."));
    }

    @ServerExceptionMapper
    public Response unauthenticated(UnauthorizedException e) {
        return Response.fromResponse(problems.problem(new KitProblem(401, "unauthenticated",
                "Send a credential: 'Authorization: Bearer <API key or JWT>' (docs/security.md).")))
                .header("WWW-Authenticate", "Bearer").build();
    }

    @ServerExceptionMapper(priority = 1)
    public Response malformed(JsonProcessingException e) {
        return problems.problem(new KitProblem(400, "malformed-json", "The request body is not valid JSON: " + e.getOriginalMessage()));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return status >= 500 ? unexpected(e) : problems.problem(new KitProblem(status, "http-" + status, e.getMessage()));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        if (Unavailability.isDatabaseUnavailable(e)) {
            return problems.problem(Unavailability.databaseUnavailable(e));
        }
        LOG.error("unexpected error", e);
        return problems.problem(new KitProblem(500, "internal-error", "Unexpected error; see this service's log."));
    }
}
