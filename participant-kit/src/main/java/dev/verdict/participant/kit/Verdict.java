package dev.verdict.participant.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** What application code uses: begin, join (enlist), commit and roll back Verdict transactions. */
@ApplicationScoped
public class Verdict {

    /** The header that carries the transaction id between services. */
    public static final String HEADER = "Verdict-Transaction";

    @Inject
    @RestClient
    CoordinatorApi coordinator;

    @Inject
    ParticipantLedger ledger;

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "verdict.participant.name")
    String participantName;

    public String participantName() {
        return participantName;
    }

    public String begin(long timeoutMs) {
        JsonNode body = expect(call(() -> coordinator.begin(Map.of("timeoutMs", timeoutMs))), 201, "begin");
        return body.get("id").asText();
    }

    /**
     * Enlists this service in {@code txId} at the coordinator, then runs {@code work} (local database
     * changes only) in one local transaction with the record that it joined; see
     * {@link ParticipantLedger#joinWork}.
     */
    public void join(String txId, Runnable work) {
        if (txId == null || txId.isBlank()) {
            throw new KitProblem(400, "missing-transaction", "Header " + HEADER + " is required.");
        }
        expect(call(() -> coordinator.enlist(txId, Map.of("participant", participantName))), 200, "enlist");
        ledger.joinWork(txId, work);
    }

    /** @return COMMITTED, ROLLED_BACK or PENDING (outcome not known yet; the coordinator will finish it) */
    public Outcome commit(String txId) {
        return outcome(call(() -> coordinator.commit(txId)));
    }

    public Outcome rollback(String txId) {
        return outcome(call(() -> coordinator.rollback(txId)));
    }

    /**
     * The coordinator's view: COMMITTED, ROLLED_BACK (also for ids it does not know), PENDING, or
     * UNKNOWN (older than its retention window and no longer on record).
     */
    public String decisionOf(String txId) {
        return expect(call(() -> coordinator.outcome(txId)), 200, "outcome query").get("outcome").asText();
    }

    public record Outcome(String outcome, String reason) {}

    private Outcome outcome(Response response) {
        JsonNode body = read(response);
        if (response.getStatus() == 200 || response.getStatus() == 409 && body.hasNonNull("outcome")) {
            return new Outcome(body.path("outcome").asText(), body.path("reason").asText(null));
        }
        if (response.getStatus() == 202) {
            return new Outcome("PENDING", null);
        }
        throw failure(response.getStatus(), body, "commit/rollback");
    }

    private JsonNode expect(Response response, int status, String what) {
        JsonNode body = read(response);
        if (response.getStatus() != status && !(status == 200 && response.getStatus() == 201)) {
            throw failure(response.getStatus(), body, what);
        }
        return body;
    }

    private static KitProblem failure(int status, JsonNode body, String what) {
        String detail = body.path("detail").asText("HTTP " + status);
        int mapped = status == 404 || status == 409 || status == 422 ? status : 502;
        return new KitProblem(mapped, "coordinator-refused", "Coordinator refused " + what + ": " + detail);
    }

    private JsonNode read(Response response) {
        try {
            String text = response.readEntity(String.class);
            return text == null || text.isBlank() ? json.createObjectNode() : json.readTree(text);
        } catch (Exception e) {
            return json.createObjectNode();
        }
    }

    private static Response call(java.util.function.Supplier<Response> request) {
        try {
            return request.get();
        } catch (jakarta.ws.rs.WebApplicationException e) {
            return e.getResponse(); // an error status is an answer; read its problem document
        } catch (ProcessingException e) {
            throw new KitProblem(503, "coordinator-unreachable", "Cannot reach the Verdict coordinator: " + e.getMessage());
        }
    }
}
