package dev.verdict.coordinator.api;

import dev.verdict.coordinator.api.Views.BeginRequest;
import dev.verdict.coordinator.api.Views.EnlistRequest;
import dev.verdict.coordinator.api.Views.OutcomeView;
import dev.verdict.coordinator.api.Views.TransactionView;
import dev.verdict.coordinator.core.Outcome;
import dev.verdict.coordinator.model.StoredTransaction;
import dev.verdict.coordinator.port.TransactionQueries;
import dev.verdict.coordinator.service.Rejections;
import dev.verdict.coordinator.service.TransactionService;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/** Client and participant commands on transactions. Maps HTTP to the service and back; nothing more. */
@Path("/transactions")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class TransactionResource {

    /** Carries the transaction id from service to service; see docs/protocol.md. */
    public static final String CONTEXT_HEADER = "Verdict-Transaction";

    @Inject
    TransactionService service;

    @Inject
    TransactionQueries queries;

    @Inject
    ObjectMapper json;

    /** The body is optional, so any content type (or none) is accepted; a body present must be JSON. */
    @POST
    @Consumes(MediaType.WILDCARD)
    public Response begin(String body, @Context UriInfo uri) throws JsonProcessingException {
        BeginRequest request = body == null || body.isBlank() ? null : json.readValue(body, BeginRequest.class);
        Duration timeout = request == null || request.timeoutMs() == null ? null : Duration.ofMillis(request.timeoutMs());
        StoredTransaction tx = service.begin(timeout);
        return Response.created(uri.getAbsolutePathBuilder().path(tx.id()).build())
                .header(CONTEXT_HEADER, tx.id())
                .entity(TransactionView.of(tx)).build();
    }

    @GET
    @Path("{id}")
    public TransactionView get(@PathParam("id") String id) {
        return TransactionView.of(queries.find(id).orElseThrow(() -> ProblemException.transactionNotFound(id)));
    }

    @POST
    @Path("{id}/branches")
    @Consumes(MediaType.APPLICATION_JSON)
    public TransactionView enlist(@PathParam("id") String id, EnlistRequest request) {
        return TransactionView.of(service.enlist(id, request == null ? null : request.participant()));
    }

    /** 200 committed; 409 problem when it rolled back instead; 202 when the outcome is not known yet. */
    @POST
    @Path("{id}/commit")
    public CompletionStage<Response> commit(@PathParam("id") String id) {
        return service.commit(id).thenApply(tx -> {
            if (tx.tx().decision() == Outcome.ROLLED_BACK) {
                throw Rejections.rolledBack(tx);
            }
            return outcomeResponse(tx);
        });
    }

    /** 200 rolled back; 409 problem when it had committed; 202 when the outcome is not known yet. */
    @POST
    @Path("{id}/rollback")
    public CompletionStage<Response> rollback(@PathParam("id") String id) {
        return service.rollback(id).thenApply(tx -> {
            if (tx.tx().decision() != null && tx.tx().decision() != Outcome.ROLLED_BACK) {
                throw Rejections.committed(tx);
            }
            return outcomeResponse(tx);
        });
    }

    /**
     * For participants in doubt. Presumed abort: an id the coordinator does not know was never
     * decided, so it is reported ROLLED_BACK.
     */
    @GET
    @Path("{id}/outcome")
    public OutcomeView outcome(@PathParam("id") String id) {
        String outcome = queries.find(id)
                .map(tx -> tx.tx().decision() == null ? "PENDING" : tx.tx().decision().name())
                .orElse(Outcome.ROLLED_BACK.name());
        return new OutcomeView(id, outcome);
    }

    private static Response outcomeResponse(StoredTransaction tx) {
        int status = tx.tx().decision() == null ? 202 : 200;
        return Response.status(status).entity(TransactionView.of(tx)).build();
    }
}
