package dev.verdict.coordinator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.verdict.coordinator.core.Branch;
import dev.verdict.coordinator.core.TransactionState;
import dev.verdict.coordinator.model.Acknowledgement;
import dev.verdict.coordinator.model.AuditEntry;
import dev.verdict.coordinator.model.HistoryEntry;
import dev.verdict.coordinator.model.Participant;
import dev.verdict.coordinator.model.Pause;
import dev.verdict.coordinator.model.StoredTransaction;
import dev.verdict.coordinator.service.TransactionService;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The JSON the API speaks. Kept apart from the core so the wire format is a deliberate choice. */
public final class Views {

    private Views() {}

    public record BeginRequest(Long timeoutMs) {}

    public record EnlistRequest(String participant) {}

    /** @param callbackSecret never shown again: no view carries it */
    public record RegisterRequest(String callbackUrl, String callbackSecret) {
        @Override
        public String toString() {
            return "RegisterRequest[callbackUrl=" + callbackUrl + "]";
        }
    }

    public record BranchView(String participant, String state, int attempts, String lastError) {
        static BranchView of(Branch b) {
            return new BranchView(b.participant(), b.state().name(), b.attempts(), b.lastError());
        }
    }

    /**
     * @param outcome the decision (COMMITTED or ROLLED_BACK), or null while undecided
     * @param presumedAbort true for a rollback answered by presumed abort for a coordinator node that
     *        died undecided: final with two or more participants; a single one's own outcome stands
     * @param nextAttemptAt when undelivered messages are sent again; absent unless a retry is scheduled
     */
    public record TransactionView(String id, String state, String outcome, boolean presumedAbort, String reason,
                                  Instant createdAt, Instant expiresAt, Instant decidedAt, Instant completedAt,
                                  @JsonInclude(JsonInclude.Include.NON_NULL) Instant nextAttemptAt,
                                  List<BranchView> branches, Acknowledgement acknowledged) {
        public static TransactionView of(StoredTransaction st) {
            var tx = st.tx();
            return new TransactionView(st.id(), tx.state().name(), tx.decision() == null ? null : tx.decision().name(),
                    TransactionService.isPresumedAbort(st), tx.reason(), st.createdAt(), st.expiresAt(), st.decidedAt(),
                    st.completedAt(), tx.state().isDecided() && !tx.state().isTerminal() ? st.dueAt() : null,
                    tx.branches().stream().map(BranchView::of).toList(), st.acknowledged());
        }

        /** As a client or participant sees it: who acknowledged a heuristic outcome, and why, is operators' business. */
        public TransactionView withoutOperatorDetail() {
            return acknowledged == null ? this : new TransactionView(id, state, outcome, presumedAbort, reason, createdAt,
                    expiresAt, decidedAt, completedAt, nextAttemptAt, branches, null);
        }
    }

    /**
     * @param counts unfinished transactions by state across the live nodes (and HEURISTIC ones)
     * @param oldestUndecidedAgeMs age of the oldest ACTIVE or PREPARING transaction, null if none
     * @param oldestInDoubtAgeMs time since the oldest in-doubt transaction was decided, null if none
     * @param inDoubt decided but not acknowledged by every participant, or heuristic; oldest first
     * @param nodes the live coordinator nodes, and whether each answered for this status
     */
    public record StatusView(Map<TransactionState, Long> counts, Long oldestUndecidedAgeMs, Long oldestInDoubtAgeMs,
                             long inDoubtCount, List<TransactionView> inDoubt, List<NodeView> nodes) {}

    /** @param error why it did not answer, or null */
    public record NodeView(String name, String incarnation, String address, boolean answered, String error) {}

    /**
     * One page of a search (GET /transactions).
     *
     * @param nextCursor where the next page starts; null when this page is not full
     * @param nodes the live coordinator nodes, and whether each answered: a node that did not leaves
     *        out the undecided transactions only it holds
     */
    public record SearchView(List<TransactionView> items, String nextCursor, List<NodeView> nodes) {}

    /**
     * @param outcome COMMITTED, ROLLED_BACK, PENDING while undecided, or UNKNOWN for an id older than
     *        the retention window that is no longer on record (docs/protocol.md, section 6)
     */
    public record OutcomeView(String transactionId, String outcome) {}

    /**
     * A registration, and how deliveries to it go across the live nodes (docs/operator-api.md).
     *
     * @param backlog unfinished transactions waiting on it
     * @param paused null unless an operator holds deliveries to it back
     */
    public record ParticipantView(String name, String callbackUrl, Instant registeredAt, Instant updatedAt,
                                  long backlog, Long oldestWaitingAgeMs, Instant lastSuccessAt, Instant lastFailureAt,
                                  String lastError, PauseView paused, List<String> unansweredNodes) {
        public static ParticipantView of(Participant p) {
            return new ParticipantView(p.name(), p.callback().url().toString(), p.registeredAt(), p.updatedAt(), 0, null,
                    null, null, null, PauseView.of(p.paused()), null);
        }
    }

    public record PauseView(Instant at, String by, String reason) {
        static PauseView of(Pause p) {
            return p == null ? null : new PauseView(p.at(), p.by(), p.reason());
        }
    }

    /** The body of every operator action; which fields count depends on the action. */
    public record ActionRequest(String reason, String participant, String applied, String outcome) {}

    public record ActionResult(TransactionView transaction, AuditEntryView audit) {}

    public record HistoryEntryView(long id, String transactionId, Instant at, String node, String kind, String participant,
                                   Map<String, Object> detail) {
        public static HistoryEntryView of(HistoryEntry e) {
            return new HistoryEntryView(e.id(), e.transactionId(), e.at(), e.node(), e.kind(), e.participant(), e.detail());
        }
    }

    public record HistoryView(String transactionId, List<HistoryEntryView> entries) {}

    public record AuditEntryView(long id, Instant at, String node, String actor, String action, String transactionId,
                                 String participant, String reason, Map<String, Object> detail) {
        public static AuditEntryView of(AuditEntry e) {
            return new AuditEntryView(e.id(), e.at(), e.node(), e.actor(), e.action(), e.transactionId(), e.participant(),
                    e.reason(), e.detail());
        }
    }

    /** @param nextCursor give it as {@code cursor} for the next page; null on the last */
    public record Page<T>(List<T> items, String nextCursor) {}
}
