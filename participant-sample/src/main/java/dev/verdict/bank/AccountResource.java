package dev.verdict.bank;

import dev.verdict.participant.kit.JoinTransaction;
import dev.verdict.participant.kit.KitProblem;
import dev.verdict.participant.kit.Verdict;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import dev.verdict.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Accounts, and debits and credits done under a Verdict transaction (header {@value Verdict#HEADER}). */
@Path("/accounts")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.CLIENT)
public class AccountResource {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    @Inject
    BankLedger ledger;

    @Inject
    Verdict verdict;

    @Inject
    EntityManager em;

    public record OpenRequest(String id, Long balance) {}

    public record AmountRequest(Long amount) {}

    public record AccountView(String id, long balance, long held, long available) {
        static AccountView of(Account a) {
            return new AccountView(a.id, a.balance, a.held, a.balance - a.held);
        }
    }

    public record Totals(long total, long held, List<AccountView> accounts) {}

    @POST
    public Response open(OpenRequest request) {
        if (request == null) {
            throw new KitProblem(400, "invalid-request", "A JSON body with fields 'id' and 'balance' is required.");
        }
        accountId(request.id(), "id");
        if (request.balance() == null || request.balance() < 0) {
            throw new KitProblem(400, "invalid-request", "Field 'balance' is required and must not be negative (minor units).");
        }
        return Response.status(201).entity(AccountView.of(ledger.open(request.id(), request.balance()))).build();
    }

    @GET
    @jakarta.transaction.Transactional
    public Totals list() {
        List<AccountView> accounts = em.createQuery("from Account order by id", Account.class)
                .getResultStream().map(AccountView::of).toList();
        return new Totals(accounts.stream().mapToLong(AccountView::balance).sum(),
                accounts.stream().mapToLong(AccountView::held).sum(), accounts);
    }

    @GET
    @Path("{id}")
    @jakarta.transaction.Transactional
    public AccountView get(@PathParam("id") String id) {
        Account a = em.find(Account.class, id);
        if (a == null) {
            throw new KitProblem(404, "account-not-found", "No account '" + id + "' at this bank.");
        }
        return AccountView.of(a);
    }

    /** Joins the transaction in the request's header: the debit commits or rolls back with it. */
    @POST
    @Path("{id}/debits")
    @JoinTransaction
    public Map<String, Object> debit(@PathParam("id") String id, @HeaderParam(Verdict.HEADER) String txId, AmountRequest request) {
        return work(txId, id, -positive(request));
    }

    /** Asked by a peer bank within a transfer: role participant (the peer bank), not a customer's client. */
    @POST
    @Path("{id}/credits")
    @RolesAllowed(Roles.PARTICIPANT)
    @JoinTransaction
    public Map<String, Object> credit(@PathParam("id") String id, @HeaderParam(Verdict.HEADER) String txId, AmountRequest request) {
        return work(txId, id, positive(request));
    }

    private Map<String, Object> work(String txId, String accountId, long amount) {
        ledger.record(txId, accountId, amount);
        return Map.of("transactionId", txId, "account", accountId, "amount", amount);
    }

    /** An account id, checked before it goes into a URL or a query. */
    static String accountId(String id, String field) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new KitProblem(400, "invalid-request", "Field '" + field
                    + "' is required: 1-64 characters of A-Z, a-z, 0-9, '.', '_', '-'.");
        }
        return id;
    }

    static long positive(AmountRequest request) {
        if (request == null || request.amount() == null || request.amount() <= 0) {
            throw new KitProblem(400, "invalid-request", "Field 'amount' is required and must be a positive number of minor units.");
        }
        return request.amount();
    }
}
