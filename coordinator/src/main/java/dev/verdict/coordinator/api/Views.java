package dev.verdict.coordinator.api;

import dev.verdict.coordinator.core.Branch;
import dev.verdict.coordinator.core.TransactionState;
import dev.verdict.coordinator.model.HistoryEntry;
import dev.verdict.coordinator.model.Participant;
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
     */
    public record TransactionView(String id, String state, String outcome, boolean presumedAbort, String reason,
                                  Instant createdAt, Instant expiresAt, Instant decidedAt, Instant completedAt,
                                  Instant nextAttemptAt, List<BranchView> branches) {
        public static TransactionView of(StoredTransaction st) {
            var tx = st.tx();
            return new TransactionView(st.id(), tx.state().name(), tx.decision() == null ? null : tx.decision().name(),
                    TransactionService.isPresumedAbort(st), tx.reason(), st.createdAt(), st.expiresAt(), st.decidedAt(),
                    st.completedAt(), tx.state().isDecided() ? st.dueAt() : null,
                    tx.branches().stream().map(BranchView::of).toList());
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

    /** @param outcome COMMITTED, ROLLED_BACK, or PENDING while undecided */
    public record OutcomeView(String transactionId, String outcome) {}

    public record ParticipantView(String name, String callbackUrl, Instant registeredAt, Instant updatedAt) {
        public static ParticipantView of(Participant p) {
            return new ParticipantView(p.name(), p.callback().url().toString(), p.registeredAt(), p.updatedAt());
        }
    }

    public record HistoryEntryView(long id, String transactionId, Instant at, String node, String kind, String participant,
                                   Map<String, Object> detail) {
        public static HistoryEntryView of(HistoryEntry e) {
            return new HistoryEntryView(e.id(), e.transactionId(), e.at(), e.node(), e.kind(), e.participant(), e.detail());
        }
    }
}
