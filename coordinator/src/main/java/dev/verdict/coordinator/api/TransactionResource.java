package dev.verdict.coordinator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.coordinator.api.Views.ActionRequest;
import dev.verdict.coordinator.api.Views.ActionResult;
import dev.verdict.coordinator.api.Views.AuditEntryView;
import dev.verdict.coordinator.api.Views.BeginRequest;
import dev.verdict.coordinator.api.Views.EnlistRequest;
import dev.verdict.coordinator.api.Views.HistoryEntryView;
import dev.verdict.coordinator.api.Views.HistoryView;
import dev.verdict.coordinator.api.Views.OutcomeView;
import dev.verdict.coordinator.api.Views.SearchView;
import dev.verdict.coordinator.api.Views.TransactionView;
import dev.verdict.coordinator.model.StoredTransaction;
import dev.verdict.coordinator.service.Caller;
import dev.verdict.coordinator.service.OperatorActions;
import dev.verdict.coordinator.service.TransactionService;
import dev.verdict.protocol.Headers;
import dev.verdict.protocol.Outcome;
import dev.verdict.security.Roles;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.common.annotation.NonBlocking;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * Client and participant commands on transactions, and operators' search. Maps HTTP to the service
 * and back; nothing more. Every command runs on the event loop: the transactions a node drives are
 * in its memory, and what must touch the database (the log writer, answers from the log) does so
 * on its own threads. The search blocks (the log, the other nodes), so it runs on a worker.
 */
@Path("/transactions")
@Produces(MediaType.APPLICATION_JSON)
@NonBlocking
public class TransactionResource {

    /** Carries the transaction id from service to service; see docs/protocol.md. */
    public static final String CONTEXT_HEADER = Headers.TRANSACTION;

    @Inject
    TransactionService service;

    @Inject
    ObjectMapper json;

    @Inject
    Searches searches;

    @Inject
    SecurityIdentity caller;

    @Inject
    OperatorActions operators;

    /**
     * The body is optional, so a request without one may name any content type or none; a body
     * present is JSON ({@link RequestScreen} refuses any other before this runs). The Location is
     * relative (RFC 9110 allows it): built from the request, it would repeat whatever Host header
     * the caller sent.
     */
    @POST
    @RolesAllowed(Roles.CLIENT)
    @Consumes(MediaType.WILDCARD)
    public Response begin(String body) throws JsonProcessingException {
        BeginRequest request = body == null || body.isBlank() ? null : json.readValue(body, BeginRequest.class);
        Duration timeout = request == null || request.timeoutMs() == null ? null : Duration.ofMillis(request.timeoutMs());
        StoredTransaction tx = service.begin(timeout, Callers.of(caller));
        return Response.status(Response.Status.CREATED)
                .header(HttpHeaders.LOCATION, "/transactions/" + tx.id())
                .header(CONTEXT_HEADER, tx.id())
                .entity(view(tx)).build();
    }

    /** Operators' search (docs/operator-api.md); parameters are read by the service, which names a wrong one. */
    @GET
    @Blocking
    @RolesAllowed(Roles.OPERATOR)
    public SearchView search(@Context HttpServerRequest request, @HeaderParam("Authorization") String credential) {
        // Read from the request line itself: building an absolute URI needs a Host, which HTTP/1.0 may omit.
        return searches.search(new QueryStringDecoder(request.uri()).parameters(), request.query(), credential);
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.CLIENT, Roles.OPERATOR})
    public CompletionStage<TransactionView> get(@PathParam("id") String id) {
        boolean operator = Callers.isOperator(caller); // read here: the answer may come on another thread
        return service.find(id, Callers.of(caller)).thenApply(tx -> operator ? TransactionView.of(tx) : view(tx));
    }

    @POST
    @Path("{id}/branches")
    @RolesAllowed(Roles.PARTICIPANT)
    @Consumes(MediaType.APPLICATION_JSON)
    public CompletionStage<TransactionView> enlist(@PathParam("id") String id, EnlistRequest request) {
        String participant = request == null ? null : request.participant();
        Callers.requireSelf(caller, participant);
        return service.enlist(id, participant).thenApply(TransactionResource::view);
    }

    /** 200 committed; 409 problem when it rolled back instead; 202 when the outcome is not known yet. */
    @POST
    @Path("{id}/commit")
    @RolesAllowed(Roles.CLIENT)
    public CompletionStage<Response> commit(@PathParam("id") String id) {
        return service.commit(id, Callers.of(caller)).thenApply(tx -> {
            if (tx.tx().state().isDecided() && tx.tx().decision() == Outcome.ROLLED_BACK) {
                throw Rejections.rolledBack(tx);
            }
            return outcomeResponse(tx);
        });
    }

    /** 200 rolled back; 409 problem when it had committed; 202 when the outcome is not known yet. */
    @POST
    @Path("{id}/rollback")
    @RolesAllowed(Roles.CLIENT)
    public CompletionStage<Response> rollback(@PathParam("id") String id) {
        return service.rollback(id, Callers.of(caller)).thenApply(tx -> {
            if (tx.tx().state().isDecided() && tx.tx().decision() != Outcome.ROLLED_BACK) {
                throw Rejections.committed(tx);
            }
            return outcomeResponse(tx);
        });
    }

    /**
     * For participants in doubt: COMMITTED, ROLLED_BACK (also for an id no node knows), PENDING, or
     * UNKNOWN (an id older than the retention window, no longer on record).
     */
    @GET
    @Path("{id}/outcome")
    @RolesAllowed({Roles.PARTICIPANT, Roles.OPERATOR})
    public CompletionStage<OutcomeView> outcome(@PathParam("id") String id) {
        return service.outcome(id).thenApply(answer -> new OutcomeView(id, answer.name()));
    }

    /** Oldest first; blocking: read from the database, where every node's history is. */
    @GET
    @Path("{id}/history")
    @Blocking
    @RolesAllowed(Roles.OPERATOR)
    public HistoryView history(@PathParam("id") String id, @QueryParam("limit") String limit) {
        int n = Queries.intParam("limit", limit, 1000, 1, 1000);
        return new HistoryView(id, operators.history(id, n).stream().map(HistoryEntryView::of).toList());
    }

    /** An operator's action (docs/operator-api.md): audited before it takes effect. */
    @POST
    @Path("{id}/actions/{action}")
    @Blocking
    @RolesAllowed(Roles.OPERATOR)
    @Consumes(MediaType.APPLICATION_JSON)
    public ActionResult act(@PathParam("id") String id, @PathParam("action") String action, ActionRequest request) {
        ActionRequest r = request == null ? new ActionRequest(null, null, null, null) : request;
        Caller who = Callers.of(caller);
        OperatorActions.Acted acted = switch (action) {
            case "retry" -> operators.retry(id, who, r.reason());
            case "rollback" -> operators.rollback(id, who, r.reason());
            case "resolve-branch" -> operators.resolveBranch(id, Queries.required("participant", r.participant()),
                    Queries.outcome("applied", r.applied()), who, r.reason());
            case "record-outcome" -> operators.recordOutcome(id, Queries.outcome("outcome", r.outcome()), who, r.reason());
            case "acknowledge" -> operators.acknowledge(id, who, r.reason());
            default -> throw new ProblemException(404, "no-such-action", "No such action", "'" + action + "' is not an"
                    + " action. Actions: retry, rollback, resolve-branch, record-outcome, acknowledge (docs/operator-api.md).");
        };
        return new ActionResult(TransactionView.of(acted.tx()), AuditEntryView.of(acted.audit()));
    }

    private static Response outcomeResponse(StoredTransaction tx) {
        int status = tx.tx().state().isDecided() ? 200 : 202;
        return Response.status(status).entity(view(tx)).build();
    }

    /** The transaction as its client or a participant sees it (operators read it whole with GET). */
    private static TransactionView view(StoredTransaction tx) {
        return TransactionView.of(tx).withoutOperatorDetail();
    }
}
