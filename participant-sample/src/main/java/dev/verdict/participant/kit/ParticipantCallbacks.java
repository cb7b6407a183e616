package dev.verdict.participant.kit;

import dev.verdict.security.Roles;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/**
 * The callbacks the coordinator calls, under the callback URL this service registered
 * ({@code <base>/verdict}). Each is verified ({@link CallbackVerifier}) before it acts; beyond
 * that, bodies are ignored: the transaction id in the path is all we need.
 */
@Path("/verdict/transactions/{id}")
@Produces(MediaType.APPLICATION_JSON)
public class ParticipantCallbacks {

    @Inject
    ParticipantLedger ledger;

    @Inject
    CrashPoints crashPoints;

    @Inject
    CallbackVerifier verifier;

    @Context
    HttpServerRequest request;

    /** Read-only: what this participant holds for a transaction (for operators and checkers). */
    @GET
    @RolesAllowed(Roles.OPERATOR)
    public Map<String, String> state(@PathParam("id") String id) {
        return Map.of("transactionId", id, "state", ledger.stateOf(id)
                .orElseThrow(() -> new KitProblem(404, "transaction-unknown", "This participant has no record of transaction " + id + ".")));
    }

    @POST
    @Path("prepare")
    @PermitAll // checked by its signature, not a credential
    public Map<String, String> prepare(@PathParam("id") String id, byte[] body) {
        verifier.verify(request, body);
        return Map.of("vote", ledger.prepare(id));
    }

    @POST
    @Path("commit")
    @PermitAll // checked by its signature, not a credential
    public Map<String, String> commit(@PathParam("id") String id, byte[] body) {
        verifier.verify(request, body);
        crashPoints.reached("participant-before-commit");
        return Map.of("outcome", ledger.commit(id));
    }

    @POST
    @Path("rollback")
    @PermitAll // checked by its signature, not a credential
    public Map<String, String> rollback(@PathParam("id") String id, byte[] body) {
        verifier.verify(request, body);
        return Map.of("outcome", ledger.rollback(id));
    }

    @POST
    @Path("commit-one-phase")
    @PermitAll // checked by its signature, not a credential
    public Map<String, String> commitOnePhase(@PathParam("id") String id, byte[] body) {
        verifier.verify(request, body);
        return Map.of("outcome", ledger.commitOnePhase(id));
    }
}
