package dev.verdict.bank;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.participant.kit.KitProblem;
import dev.verdict.participant.kit.Verdict;
import jakarta.inject.Inject;
import dev.verdict.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The documented entry point for a transfer across banks: begin a transaction at the coordinator,
 * debit here, have the peer bank credit under the same transaction, commit. The answer carries
 * the transaction id and the outcome the coordinator reported.
 */
@Path("/transfers")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.CLIENT)
public class TransferResource {

    private static final HttpClient PEERS = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Inject
    Verdict verdict;

    @Inject
    BankLedger ledger;

    @Inject
    ObjectMapper json;

    /** Other banks, as {@code name=baseUrl} entries: the only places a transfer may credit. */
    @ConfigProperty(name = "bank.peers")
    Optional<List<String>> peers;

    /** This bank's credential at its peers (role participant), for the credits it asks of them. */
    @ConfigProperty(name = "bank.peer-key")
    Optional<String> peerKey;

    @ConfigProperty(name = "bank.transfer-timeout", defaultValue = "30s")
    Duration timeout;

    public record TransferRequest(String fromAccount, String toBank, String toAccount, Long amount) {}

    @POST
    public Response transfer(TransferRequest request) {
        if (request == null || request.toBank() == null) {
            throw new KitProblem(400, "invalid-request", "Fields fromAccount, toBank, toAccount and amount are required.");
        }
        String from = AccountResource.accountId(request.fromAccount(), "fromAccount");
        String to = AccountResource.accountId(request.toAccount(), "toAccount");
        long amount = AccountResource.positive(new AccountResource.AmountRequest(request.amount()));
        boolean local = request.toBank().equals(verdict.participantName());
        URI peer = local ? null : peerUrl(request.toBank());

        String txId = verdict.begin(timeout.toMillis());
        try {
            verdict.join(txId, () -> {
                ledger.record(txId, from, -amount);
                if (local) {
                    ledger.record(txId, to, amount);
                }
            });
            if (!local) {
                credit(peer, txId, to, amount);
            }
        } catch (RuntimeException e) {
            verdict.rollback(txId);
            throw e;
        }
        Verdict.Outcome outcome = verdict.commit(txId);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("transactionId", txId);
        body.put("outcome", outcome.outcome());
        body.put("reason", outcome.reason());
        int status = switch (outcome.outcome()) {
            case "COMMITTED" -> 200;
            case "PENDING" -> 202;
            default -> 409;
        };
        return Response.status(status).entity(body).build();
    }

    private URI peerUrl(String bank) {
        return peers.orElse(List.of()).stream()
                .map(entry -> entry.split("=", 2))
                .filter(kv -> kv.length == 2 && kv[0].trim().equals(bank))
                .map(kv -> URI.create(kv[1].trim()))
                .findFirst()
                .orElseThrow(() -> new KitProblem(422, "unknown-bank", "Bank '" + bank + "' is not among bank.peers."));
    }

    private void credit(URI peer, String txId, String account, long amount) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(peer.resolve("/accounts/" + account + "/credits"))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .header(Verdict.HEADER, txId)
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of("amount", amount))));
            peerKey.ifPresent(key -> request.header("Authorization", "Bearer " + key.strip()));
            HttpResponse<String> response = PEERS.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                String detail = json.readTree(response.body()).path("detail").asText(response.body());
                throw new KitProblem(response.statusCode() == 404 ? 422 : 502, "credit-refused",
                        "The crediting bank refused: " + detail + " (transaction " + txId + " rolled back)");
            }
        } catch (KitProblem e) {
            throw e;
        } catch (Exception e) {
            throw new KitProblem(502, "credit-failed", "Could not reach the crediting bank: " + e.getMessage()
                    + " (transaction " + txId + " rolled back)");
        }
    }
}
