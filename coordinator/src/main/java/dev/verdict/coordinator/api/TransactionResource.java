package dev.verdict.coordinator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.coordinator.api.Views.BeginRequest;
import dev.verdict.coordinator.api.Views.EnlistRequest;
import dev.verdict.coordinator.api.Views.OutcomeView;
import dev.verdict.coordinator.api.Views.SearchView;
import dev.verdict.coordinator.api.Views.TransactionView;
import dev.verdict.coordinator.core.Outcome;
import dev.verdict.coordinator.model.StoredTransaction;
import dev.verdict.coordinator.service.TransactionService;
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
    public static final String CONTEXT_HEADER = "Verdict-Transaction";

    @Inject
    TransactionService service;

    @Inject
    ObjectMapper json;

    @Inject
    Searches searches;

    @Inject
    SecurityIdentity caller;

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
                .entity(TransactionView.of(tx)).build();
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
        return service.find(id, Callers.of(caller)).thenApply(TransactionView::of);
    }

    @POST
    @Path("{id}/branches")
    @RolesAllowed(Roles.PARTICIPANT)
    @Consumes(MediaType.APPLICATION_JSON)
    public CompletionStage<TransactionView> enlist(@PathParam("id") String id, EnlistRequest request) {
        String participant = request == null ? null : request.participant();
        Callers.requireSelf(caller, participant);
        return service.enlist(id, participant).thenApply(TransactionView::of);
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

    private static Response outcomeResponse(StoredTransaction tx) {
        int status = tx.tx().state().isDecided() ? 200 : 202;
        return Response.status(status).entity(TransactionView.of(tx)).build();
    }
}
