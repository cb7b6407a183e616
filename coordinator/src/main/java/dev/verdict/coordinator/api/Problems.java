package dev.verdict.coordinator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.verdict.coordinator.metrics.VerdictMetrics;
import dev.verdict.coordinator.port.StoreUnavailable;
import dev.verdict.coordinator.service.ServiceException;
import dev.verdict.protocol.ProblemTypes;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every error leaves as RFC 9457 problem+json with a message a person can act on. Stack traces
 * stay in the log; a 500 carries only a reference to find the log entry.
 */
public class Problems {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final Logger LOG = Logger.getLogger(Problems.class);

    @Inject
    ObjectMapper json;

    @Inject
    VerdictMetrics metrics;

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        Response r = respond(e.status(), e.slug(), e.title(), e.getMessage(), e.extensions());
        return e.retryAfterSeconds() == null ? r : Response.fromResponse(r).header("Retry-After", e.retryAfterSeconds()).build();
    }

    /** The service's domain failures, each to its status and problem type. */
    @ServerExceptionMapper
    public Response service(ServiceException e) {
        if (e instanceof ServiceException.TooManyOpen) {
            metrics.refused("too-many-open");
        }
        return problem(toProblem(e));
    }

    /** Completion stages wrap what failed inside them. */
    @ServerExceptionMapper
    public Response completion(CompletionException e) {
        return e.getCause() != null ? unwrapped(e.getCause()) : unexpected(e);
    }

    static ProblemException toProblem(ServiceException e) {
        if (e instanceof ServiceException.Invalid) {
            return ProblemException.badRequest(e.getMessage());
        }
        if (e instanceof ServiceException.TransactionNotFound n) {
            return new ProblemException(404, "transaction-not-found", "Transaction not found", e.getMessage())
                    .with("transactionId", n.id);
        }
        if (e instanceof ServiceException.Forgotten f) {
            return new ProblemException(404, "transaction-not-found", "Transaction not found", e.getMessage())
                    .with("transactionId", f.id).with("beyondRetention", true);
        }
        if (e instanceof ServiceException.NotYours n) {
            return new ProblemException(403, "not-your-transaction", "Not your transaction", e.getMessage())
                    .with("transactionId", n.id);
        }
        if (e instanceof ServiceException.ParticipantNotFound n) {
            return new ProblemException(404, "participant-not-found", "Participant not found", e.getMessage())
                    .with("participant", n.name);
        }
        if (e instanceof ServiceException.ParticipantNotRegistered n) {
            return new ProblemException(422, "participant-not-registered", "Participant not registered", e.getMessage())
                    .with("participant", n.name);
        }
        if (e instanceof ServiceException.ParticipantBusy b) {
            return new ProblemException(409, "participant-busy", "Participant has unfinished transactions", e.getMessage())
                    .with("participant", b.name).with("unfinishedTransactions", b.unfinished);
        }
        if (e instanceof ServiceException.CallbackHostNotAllowed h) {
            return new ProblemException(422, "callback-host-not-allowed", "Callback host not allowed", e.getMessage())
                    .with("host", h.host);
        }
        if (e instanceof ServiceException.Rejected r) {
            return Rejections.toProblem(r.tx, r.rejection);
        }
        if (e instanceof ServiceException.OwnerElsewhere o) {
            return ownerUnreachable(o.node, e.getMessage());
        }
        if (e instanceof ServiceException.NotReady) {
            return new ProblemException(503, "node-not-ready", "Coordinator node not ready", e.getMessage()).retryAfter(1);
        }
        if (e instanceof ServiceException.TooManyOpen) {
            return new ProblemException(429, "too-many-open-transactions", "Too many open transactions", e.getMessage())
                    .retryAfter(1);
        }
        if (e instanceof ServiceException.AtCapacity) {
            return new ProblemException(503, "at-capacity", "Coordinator node at capacity", e.getMessage()).retryAfter(1);
        }
        if (e instanceof ServiceException.LogUnavailable) {
            return logUnavailable(e.getMessage());
        }
        throw new IllegalStateException("no problem type for " + e.getClass().getName(), e);
    }

    private Response unwrapped(Throwable cause) {
        if (cause instanceof ServiceException s) {
            return service(s);
        }
        if (cause instanceof ProblemException p) {
            return problem(p);
        }
        return unexpected(cause);
    }

    private static ProblemException logUnavailable(String cause) {
        return new ProblemException(503, "log-unavailable", "Transaction log unavailable",
                "The coordinator could not confirm this request with its database (" + cause + "). A change may or"
                        + " may not have been recorded: read the transaction (GET /transactions/{id}) before acting on"
                        + " it. Commit and rollback are idempotent, so repeating them is safe.").retryAfter(1);
    }


    /** An authenticated caller whose roles do not include one the resource allows (docs/security.md). */
    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return respond(403, "forbidden", "Forbidden", "This credential's roles do not allow this request;"
                + " docs/security.md lists what each role may call.", Map.of());
    }

    /** Reached only when authentication is left to the resource; the HTTP layer answers most of these. */
    @ServerExceptionMapper
    public Response unauthenticated(UnauthorizedException e) {
        return Response.fromResponse(respond(401, "unauthenticated", "Unauthenticated",
                "Send a credential: 'Authorization: Bearer <API key or JWT>' (docs/security.md).", Map.of()))
                .header("WWW-Authenticate", "Bearer").build();
    }

    @ServerExceptionMapper(priority = 1)
    public Response mismatched(MismatchedInputException e) {
        return malformed(e);
    }

    @ServerExceptionMapper(priority = 1)
    public Response malformed(JsonProcessingException e) {
        if (e instanceof InvalidDefinitionException) {
            return unexpected(e); // a record Jackson cannot build: the coordinator's bug, not the client's
        }
        return respond(400, "malformed-json", "Malformed JSON", JsonErrors.detail(e), Map.of());
    }

    /** The framework's own refusals (no such path, wrong method, unreadable parameter …), described in our words. */
    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return malformed(json); // Quarkus wraps body-parsing failures; report them precisely
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e);
        }
        ProblemException p = framework(status);
        return respond(status, p.slug(), p.title(), p.getMessage(), Map.of());
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException || t instanceof jakarta.persistence.PersistenceException
                    || t instanceof jakarta.transaction.RollbackException || t instanceof StoreUnavailable) {
                // The database failed under the request: whether a write landed is unknown, so the
                // client is told to read before acting, never that nothing happened.
                LOG.warnf("database unavailable: %s", e.toString());
                return problem(logUnavailable(t.getMessage()));
            }
        }
        return problem(internal(e));
    }

    /** A bug: logged with its stack trace under a reference; the client gets only the reference. */
    static ProblemException internal(Throwable e) {
        String reference = UUID.randomUUID().toString();
        LOG.errorf(e, "unexpected error, reference %s", reference);
        return new ProblemException(500, "internal-error", "Internal error", "The coordinator failed unexpectedly;"
                + " nothing was half-written. Quote reference " + reference + " when reading its log.")
                .with("reference", reference);
    }

    /**
     * A refusal by HTTP machinery rather than by Verdict (RESTEasy, the router): its problem type is
     * {@code http-<status>}, and its message never the framework's own (which names classes).
     */
    static ProblemException framework(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "HTTP " + status : known.getReasonPhrase();
        return new ProblemException(status, "http-" + status, title, describe(status));
    }

    private static String describe(int status) {
        switch (status) {
            case 400: return "The request is not well-formed: its path, a query parameter or a header is not of the form"
                    + " this endpoint expects. See docs/protocol.md for the API.";
            case 404: return "No resource at this path. See docs/protocol.md for the API.";
            case 405: return "This method is not allowed on this resource.";
            case 406: return "This resource produces application/json only.";
            case 411: return "Send the request body with a Content-Length: bodies are small JSON documents, not streams.";
            case 413: return "The request body is too large.";
            case 414: return "The request's URI is too long.";
            case 415: return "Send the request body as application/json (UTF-8).";
            case 431: return "The request's headers are too large.";
            default: return "The request could not be processed.";
        }
    }

    Response respond(int status, String slug, String title, String detail, Map<String, Object> extensions) {
        return Response.status(status).type(MEDIA_TYPE).entity(render(json, status, slug, title, detail, extensions)).build();
    }

    /** Answers {@code problem} from a Vert.x handler, before (or outside) the resources. */
    static void send(RoutingContext rc, ObjectMapper json, ProblemException problem) {
        HttpServerResponse response = rc.response();
        if (response.ended() || response.headWritten()) {
            return;
        }
        response.setStatusCode(problem.status()).putHeader("Content-Type", MEDIA_TYPE);
        if (problem.retryAfterSeconds() != null) {
            response.putHeader("Retry-After", String.valueOf(problem.retryAfterSeconds()));
        }
        response.end(render(json, problem));
    }

    /** The problem document itself, for the API and for the filters that answer before it. */
    static String render(ObjectMapper json, ProblemException p) {
        return render(json, p.status(), p.slug(), p.title(), p.getMessage(), p.extensions());
    }

    private static String render(ObjectMapper json, int status, String slug, String title, String detail,
                                 Map<String, Object> extensions) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", ProblemTypes.uri(slug));
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.putAll(extensions);
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException impossible) {
            return "{\"status\":" + status + "}";
        }
    }

    /** The node holding a transaction did not answer, or was not reached: 503, retry. */
    static ProblemException ownerUnreachable(String node, String detail) {
        return new ProblemException(503, "owner-unreachable", "Owner node unreachable", detail).with("node", node).retryAfter(1);
    }
}
