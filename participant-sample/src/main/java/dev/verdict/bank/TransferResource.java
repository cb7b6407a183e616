package dev.verdict.bank;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.participant.kit.KitProblem;
import dev.verdict.participant.kit.Verdict;
import dev.verdict.security.Roles;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The documented entry point for a transfer across banks: begin a transaction at the coordinator,
 * debit here, have the peer bank credit under the same transaction, commit. The answer carries
 * the transaction id and the outcome the coordinator reported: 200 committed, 409 rolled back, 202
 * pending (not known here yet, e.g. the commit's answer was lost: ask the coordinator). Every error
 * once the transaction exists names it too, so that a client can always find out what became of it.
 * The peer is called after this bank's join has committed locally: no local transaction is held
 * open across the call.
 */
@Path("/transfers")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.CLIENT)
public class TransferResource {

    private static final Logger LOG = Logger.getLogger(TransferResource.class);

    private final Map<URI, PeerBank> peerClients = new ConcurrentHashMap<>();

    @Inject
    Verdict verdict;

    @Inject
    BankLedger ledger;

    @Inject
    ObjectMapper json;

    /** This bank's participant name. */
    @ConfigProperty(name = "verdict.participant.name")
    String bankName;

    /** Other banks, as {@code name=baseUrl} entries: the only places a transfer may credit. */
    @ConfigProperty(name = "bank.peers")
    Optional<List<String>> peers;

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
        boolean local = request.toBank().equals(bankName);
        PeerBank peer = local ? null : peer(request.toBank());

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
        } catch (KitProblem e) {
            rollBackQuietly(txId);
            throw e.about(txId);
        } catch (RuntimeException e) {
            rollBackQuietly(txId);
            LOG.errorf(e, "transfer %s failed", txId);
            throw new KitProblem(500, "internal-error", "The transfer failed and was rolled back; see this bank's log.")
                    .about(txId);
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

    /**
     * Asks the coordinator to roll back what failed half-way. If it cannot be reached, the
     * transaction times out there and rolls back anyway; the client hears the original failure.
     */
    private void rollBackQuietly(String txId) {
        try {
            verdict.rollback(txId);
        } catch (KitProblem ignored) {
            // the transaction's own timeout rolls it back
        }
    }

    private PeerBank peer(String bank) {
        URI url = peers.orElse(List.of()).stream()
                .map(entry -> entry.split("=", 2))
                .filter(kv -> kv.length == 2 && kv[0].trim().equals(bank))
                .map(kv -> URI.create(kv[1].trim()))
                .findFirst()
                .orElseThrow(() -> new KitProblem(422, "unknown-bank", "Bank '" + bank + "' is not among bank.peers."));
        return peerClients.computeIfAbsent(url, u -> QuarkusRestClientBuilder.newBuilder().baseUri(u)
                .connectTimeout(2, TimeUnit.SECONDS).readTimeout(10, TimeUnit.SECONDS).build(PeerBank.class));
    }

    private void credit(PeerBank peer, String txId, String account, long amount) {
        try {
            peer.credit(account, Map.of("amount", amount));
        } catch (WebApplicationException e) {
            int status = e.getResponse().getStatus();
            throw new KitProblem(status == 404 ? 422 : 502, "credit-refused", "The crediting bank refused: "
                    + detail(e.getResponse()) + " (transaction " + txId + " rolled back)");
        } catch (RuntimeException e) {
            throw new KitProblem(502, "credit-failed", "Could not reach the crediting bank: " + e.getMessage()
                    + " (transaction " + txId + " rolled back)");
        }
    }

    private String detail(Response response) {
        try {
            String text = response.readEntity(String.class);
            return json.readTree(text).path("detail").asText(text);
        } catch (Exception e) {
            return "HTTP " + response.getStatus();
        }
    }
}
