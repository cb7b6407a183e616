package dev.verdict.participant.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.protocol.Headers;
import dev.verdict.protocol.ProblemTypes;
import dev.verdict.protocol.TransactionIdSyntax;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * What application code uses: begin, join (enlist), commit and roll back Verdict transactions. Every
 * problem it raises once a transaction exists names the transaction, so a caller can ask the
 * coordinator what became of it.
 */
@ApplicationScoped
public class Verdict {

    /** The header that carries the transaction id between services. */
    public static final String HEADER = Headers.TRANSACTION;

    @Inject
    @RestClient
    CoordinatorApi coordinator;

    @Inject
    ParticipantLedger ledger;

    @Inject
    Resources resources;

    @Inject
    ObjectMapper json;

    /** Begins a transaction at the coordinator; the current request then works in it (header propagation). */
    public String begin(long timeoutMs) {
        JsonNode body = expect(call(() -> coordinator.begin(Map.of("timeoutMs", timeoutMs)), null), "begin", null);
        String id = body.path("id").asText();
        CurrentTransaction.set(id);
        return id;
    }

    /**
     * Enlists the resource named {@code resource} ("" for the only or default one) in {@code txId}
     * at the coordinator, then runs {@code work} (local database changes only) in one local
     * transaction with the record that it joined (see {@link ParticipantLedger#joinWork}).
     * Enlisting comes first: if the coordinator refuses, nothing is done here (docs/protocol.md,
     * obligation 2).
     */
    public <T> T join(String resource, String txId, Callable<T> work) throws Exception {
        if (txId == null || txId.isBlank()) {
            throw new KitProblem(400, "missing-transaction", "Header " + HEADER + " is required: the id of the"
                    + " Verdict transaction this request works in.");
        }
        if (!TransactionIdSyntax.isWellFormed(txId)) {
            throw new KitProblem(400, "invalid-transaction-id", "Header " + HEADER + " must be a transaction id: 1-"
                    + TransactionIdSyntax.MAX_LENGTH + " characters of 0-9, a-z and '.'.");
        }
        LocalResource joining = resources.forJoin(resource);
        expect(call(() -> coordinator.enlist(txId, Map.of("participant", resources.participantName(joining))), txId),
                "enlist", txId);
        CurrentTransaction.set(txId);
        try {
            return ledger.joinWork(joining, txId, work);
        } catch (KitProblem e) {
            throw e.about(txId);
        } catch (RuntimeException e) {
            if (Unavailability.isDatabaseUnavailable(e)) {
                throw Unavailability.databaseUnavailable(e).about(txId);
            }
            throw e;
        }
    }

    /** {@link #join(String, String, Callable)} for the service's only or default resource. */
    public void join(String txId, Runnable work) {
        try {
            join("", txId, Executors.callable(work));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Asks the coordinator to commit. Once this is sent, the outcome may be decided even if no answer
     * comes back; so a failed call is PENDING (with why), never an error a caller might retry as if
     * nothing had happened. The coordinator finishes the transaction either way, and answers
     * {@code GET /transactions/{id}/outcome}.
     *
     * @return COMMITTED, ROLLED_BACK (with the reason) or PENDING (not known here yet)
     */
    public Outcome commit(String txId) {
        return ending(txId, "commit", () -> coordinator.commit(txId));
    }

    /** Asks the coordinator to roll back; like {@link #commit}, a failed call is PENDING (it times out there). */
    public Outcome rollback(String txId) {
        return ending(txId, "rollback", () -> coordinator.rollback(txId));
    }

    /**
     * The coordinator's view: COMMITTED, ROLLED_BACK (also for ids it does not know), PENDING, or
     * UNKNOWN (older than its retention window and no longer on record).
     */
    public String decisionOf(String txId) {
        return expect(call(() -> coordinator.outcome(txId), txId), "outcome query", txId).path("outcome").asText();
    }

    public record Outcome(String outcome, String reason) {}


    private Outcome ending(String txId, String what, Supplier<Response> request) {
        CurrentTransaction.clear(); // whatever happens now, this request's work in it is over
        Response response;
        try {
            response = request.get();
        } catch (WebApplicationException e) {
            response = e.getResponse();
        } catch (RuntimeException e) {
            return new Outcome("PENDING", "the coordinator could not be reached for the " + what + " (" + e.getMessage()
                    + "); ask it for the outcome: GET /transactions/" + txId + "/outcome");
        }
        JsonNode body = read(response);
        int status = response.getStatus();
        if (status == 200 || status == 409 && body.hasNonNull("outcome")) {
            return new Outcome(body.path("outcome").asText(), body.path("reason").asText(null));
        }
        if (status == 202 || status == 503) {
            return new Outcome("PENDING", status == 503 ? body.path("detail").asText(null) : null);
        }
        throw refused(status, body, what).about(txId);
    }

    private JsonNode expect(Response response, String what, String txId) {
        JsonNode body = read(response);
        if (response.getStatus() / 100 != 2) {
            throw refused(response.getStatus(), body, what).about(txId);
        }
        return body;
    }

    /**
     * The coordinator's refusal, passed on: its status when it is about the request (404 unknown,
     * 409 no longer active, 422 invalid), 503 when the coordinator cannot act now, 502 otherwise.
     */
    private static KitProblem refused(int status, JsonNode body, String what) {
        String detail = "Coordinator refused " + what + ": " + body.path("detail").asText("HTTP " + status);
        if (status == 503) {
            return KitProblem.unavailable("coordinator-unavailable", detail, 1);
        }
        boolean passedOn = status == 404 || status == 409 || status == 422;
        String slug = ProblemTypes.slug(body.path("type").asText(null));
        return new KitProblem(passedOn ? status : 502, passedOn && slug != null ? slug : "coordinator-refused", detail);
    }

    private JsonNode read(Response response) {
        try (response) {
            String text = response.readEntity(String.class);
            return text == null || text.isBlank() ? json.createObjectNode() : json.readTree(text);
        } catch (Exception e) {
            return json.createObjectNode();
        }
    }

    /**
     * An error status is an answer (its problem document is read); no answer at all (refused, reset,
     * timed out) is 503: the coordinator may have acted, so the caller is told the transaction's id.
     */
    private static Response call(Supplier<Response> request, String txId) {
        try {
            return request.get();
        } catch (WebApplicationException e) {
            return e.getResponse();
        } catch (RuntimeException e) {
            throw KitProblem.unavailable("coordinator-unreachable", "Cannot reach the Verdict coordinator: "
                    + e.getMessage() + (txId == null ? "" : ". Ask it for the outcome of transaction " + txId
                    + " (GET /transactions/" + txId + "/outcome) once it answers."), 1).about(txId);
        }
    }
}
