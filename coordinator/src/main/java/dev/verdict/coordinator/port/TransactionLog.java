package dev.verdict.coordinator.port;

import dev.verdict.coordinator.model.StoredTransaction;
import dev.verdict.protocol.Outcome;
import java.util.List;
import java.util.Map;

/**
 * The hot path's storage. Only the log writer calls it, one group at a time: every record of a
 * group lands in one database transaction with one flush, or none does.
 */
public interface TransactionLog {

    /**
     * Writes one group durably.
     *
     * <p>A decision is inserted only where the transaction has no record yet; an existing record
     * wins (it is another node's fence, or this node's own earlier attempt whose acknowledgement
     * was lost). A completion updates the record of the same decision, or inserts it when there is
     * none (a heuristic outcome of a rollback); it never changes a recorded decision.
     *
     * @param owner the incarnation that drives the decisions of this group
     * @return for each decision that met a record already there, the outcome on that record
     * @throws StoreUnavailable when the group failed; whether it landed is unknown
     */
    Map<String, Outcome> write(List<StoredTransaction> decisions, List<StoredTransaction> completions, String owner);
}
