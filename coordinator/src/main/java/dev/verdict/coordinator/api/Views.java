package dev.verdict.coordinator.api;

import dev.verdict.coordinator.core.Branch;
import dev.verdict.coordinator.model.Participant;
import dev.verdict.coordinator.model.StoredTransaction;
import java.time.Instant;
import java.util.List;

/** The JSON the API speaks. Kept apart from the core so the wire format is a deliberate choice. */
public final class Views {

    private Views() {}

    public record BeginRequest(Long timeoutMs) {}

    public record EnlistRequest(String participant) {}

    public record RegisterRequest(String callbackUrl) {}

    public record BranchView(String participant, String state, int attempts, String lastError) {
        static BranchView of(Branch b) {
            return new BranchView(b.participant(), b.state().name(), b.attempts(), b.lastError());
        }
    }

    /** @param outcome the decision (COMMITTED or ROLLED_BACK), or null while undecided */
    public record TransactionView(String id, String state, String outcome, String reason, Instant createdAt,
                                  Instant expiresAt, Instant decidedAt, Instant completedAt, Instant nextAttemptAt,
                                  List<BranchView> branches) {
        public static TransactionView of(StoredTransaction st) {
            var tx = st.tx();
            return new TransactionView(st.id(), tx.state().name(), tx.decision() == null ? null : tx.decision().name(),
                    tx.reason(), st.createdAt(), st.expiresAt(), st.decidedAt(), st.completedAt(),
                    tx.state().isDecided() ? st.dueAt() : null,
                    tx.branches().stream().map(BranchView::of).toList());
        }
    }

    /** @param outcome COMMITTED, ROLLED_BACK, or PENDING while undecided */
    public record OutcomeView(String transactionId, String outcome) {}

    public record ParticipantView(String name, String callbackUrl, Instant registeredAt, Instant updatedAt) {
        public static ParticipantView of(Participant p) {
            return new ParticipantView(p.name(), p.callbackUrl().toString(), p.registeredAt(), p.updatedAt());
        }
    }
}
