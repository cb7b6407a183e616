package dev.verdict.coordinator.core;

import dev.verdict.coordinator.core.Effect.RetryLater;
import dev.verdict.coordinator.core.Effect.SendCommit;
import dev.verdict.coordinator.core.Effect.SendOnePhaseCommit;
import dev.verdict.coordinator.core.Effect.SendPrepare;
import dev.verdict.coordinator.core.Effect.SendRollback;
import dev.verdict.coordinator.core.Event.CommitRequested;
import dev.verdict.coordinator.core.Event.Enlist;
import dev.verdict.coordinator.core.Event.Expired;
import dev.verdict.coordinator.core.Event.Fenced;
import dev.verdict.coordinator.core.Event.OnePhaseReplied;
import dev.verdict.coordinator.core.Event.OperatorRollback;
import dev.verdict.coordinator.core.Event.PhaseTwoReplied;
import dev.verdict.coordinator.core.Event.Recovered;
import dev.verdict.coordinator.core.Event.Resolved;
import dev.verdict.coordinator.core.Event.RetryDue;
import dev.verdict.coordinator.core.Event.RollbackRequested;
import dev.verdict.coordinator.core.Event.VotesReceived;
import dev.verdict.protocol.Outcome;
import java.util.List;
import java.util.Map;

/**
 * Two-phase commit with presumed abort, as a pure function: (snapshot, event) to step. No I/O, no
 * clock, no framework: the driver records each step with the durability it names, then runs its
 * effects.
 *
 * <p>Rules that keep the invariants:
 * <ul>
 *   <li>A decision, once taken, never changes ({@link Transaction#decided} refuses it).
 *   <li>Every commit decision the coordinator takes is forced before anyone hears of it; nothing
 *       else is written before the decision, and a rollback is not written at all: with no record,
 *       the answer is "rolled back" (presumed abort). A one-phase outcome is the participant's own
 *       decision, durable there; the coordinator keeps it in memory only.
 *   <li>Only the completion of a recorded commit is written after it, lazily; and a heuristic
 *       outcome with no decision on record (of a rollback, of a one-phase commit), forced, since no
 *       other record would reveal it after a crash.
 *   <li>Timeouts and restarts roll back only undecided transactions; decided ones are driven on.
 *   <li>Stale replies (a vote after the transaction was rolled back) change nothing.
 *   <li>A commit decision that loses to another node's recorded "rolled back" ({@link Fenced})
 *       turns into a rollback: the other node answered first (invariant I8).
 *   <li>A one-phase commit is delegated: the participant decides, so the coordinator neither times
 *       it out nor rolls it back, and re-sends it until it hears the participant's outcome.
 * </ul>
 */
public final class Protocol {

    static final String REASON_REQUESTED = "rollback requested by a client";
    static final String REASON_EXPIRED = "transaction timed out before a decision";
    static final String REASON_RESTARTED = "coordinator restarted before a decision";
    static final String REASON_OPERATOR = "rolled back by an operator: ";
    static final String REASON_FENCED = "another coordinator node, unable to reach this one, answered"
            + " 'rolled back' for it first (presumed abort)";

    private Protocol() {}

    public static Step apply(Transaction tx, Event event) {
        if (event instanceof Enlist e) {
            return enlist(tx, e.participant());
        }
        if (event instanceof CommitRequested) {
            return commitRequested(tx);
        }
        if (event instanceof RollbackRequested) {
            return rollbackRequested(tx);
        }
        if (event instanceof Expired) {
            return undecidedRollsBack(tx, Cause.TIMEOUT);
        }
        if (event instanceof Recovered) {
            return undecidedRollsBack(tx, Cause.RESTART);
        }
        if (event instanceof Fenced) {
            return undecidedRollsBack(tx, Cause.FENCED);
        }
        if (event instanceof VotesReceived v) {
            return votesReceived(tx, v.replies());
        }
        if (event instanceof OnePhaseReplied r) {
            return onePhaseReplied(tx, r.reply());
        }
        if (event instanceof PhaseTwoReplied r) {
            return phaseTwoReplied(tx, r.replies());
        }
        if (event instanceof RetryDue) {
            return resend(tx);
        }
        if (event instanceof OperatorRollback r) {
            return operatorRollback(tx, r.reason());
        }
        if (event instanceof Resolved r) {
            return resolved(tx, r.participant(), r.applied());
        }
        throw new IllegalArgumentException("unknown event " + event);
    }

    private static Step enlist(Transaction tx, String participant) {
        if (tx.state() != TransactionState.ACTIVE) {
            return Step.rejected(tx, Rejection.NOT_ACTIVE);
        }
        if (tx.hasBranch(participant)) {
            return Step.unchanged(tx);
        }
        return Step.inMemory(tx.withBranch(Branch.enlisted(participant)));
    }

    private static Step commitRequested(Transaction tx) {
        if (tx.state() == TransactionState.ACTIVE) {
            if (tx.branches().isEmpty()) {
                // Forced although nothing is at stake: a client told COMMITTED must never hear
                // ROLLED_BACK later, which a lost lazy write followed by presumed abort would say.
                return Step.forced(tx.decided(TransactionState.COMMITTED, Outcome.COMMITTED, null));
            }
            Transaction preparing = tx.withState(TransactionState.PREPARING);
            if (tx.isOnePhase()) {
                return Step.inMemory(preparing, new SendOnePhaseCommit(tx.branches().get(0).participant()));
            }
            return Step.inMemory(preparing, new SendPrepare(tx.participantsWhere(b -> true)));
        }
        if (tx.decision() == Outcome.ROLLED_BACK) {
            return Step.rejected(tx, Rejection.ALREADY_ROLLED_BACK);
        }
        return Step.unchanged(tx); // already committing or committed: the caller waits for the same outcome
    }

    private static Step rollbackRequested(Transaction tx) {
        if (tx.decision() == Outcome.COMMITTED) {
            return Step.rejected(tx, Rejection.ALREADY_COMMITTED);
        }
        return undecidedRollsBack(tx, Cause.CLIENT);
    }

    /** Why an undecided transaction is being rolled back; each cause treats in-flight work differently. */
    private enum Cause {
        CLIENT(REASON_REQUESTED), TIMEOUT(REASON_EXPIRED), RESTART(REASON_RESTARTED), FENCED(REASON_FENCED);

        final String reason;

        Cause(String reason) {
            this.reason = reason;
        }
    }

    /** Timeout, restart, fence or client rollback: only an undecided transaction is rolled back. */
    private static Step undecidedRollsBack(Transaction tx, Cause cause) {
        switch (tx.state()) {
            case ACTIVE:
                return rollBack(tx, cause.reason);
            case PREPARING:
                if (tx.isOnePhase()) {
                    // Delegated to the participant, which alone decides. A client rollback or a fence
                    // waits for its outcome; a timeout or a restart re-sends the call until it answers.
                    return cause == Cause.CLIENT || cause == Cause.FENCED ? Step.unchanged(tx) : resend(tx);
                }
                return rollBack(tx, cause.reason);
            case COMMITTING:
            case ROLLING_BACK:
                // Decided: a restart picks up phase 2 where it stopped; nothing else touches it.
                return cause == Cause.RESTART ? resend(tx) : Step.unchanged(tx);
            default:
                return Step.unchanged(tx);
        }
    }

    private static Step rollBack(Transaction tx, String reason) {
        Transaction next = tx.decided(TransactionState.ROLLING_BACK, Outcome.ROLLED_BACK, reason);
        List<String> targets = next.participantsWhere(b -> b.state().needsRollback());
        if (targets.isEmpty()) {
            return Step.inMemory(next.withState(TransactionState.ROLLED_BACK));
        }
        return Step.inMemory(next, new SendRollback(targets));
    }

    private static Step votesReceived(Transaction tx, Map<String, Reply> replies) {
        if (tx.state() != TransactionState.PREPARING || tx.isOnePhase()) {
            return Step.unchanged(tx); // late votes: the transaction was rolled back meanwhile
        }
        Transaction voted = tx.updateBranches(replies, Protocol::recordVote);
        String abortReason = null;
        for (Branch b : voted.branches()) {
            if (b.state() == BranchState.ABORTED) {
                abortReason = "participant " + b.participant() + " voted ABORT";
                break;
            }
            if (b.state() == BranchState.ENLISTED) {
                String why = b.lastError() != null ? b.lastError() : "no vote received";
                abortReason = "prepare failed at participant " + b.participant() + ": " + why;
                break;
            }
        }
        if (abortReason != null) {
            return rollBack(voted, abortReason);
        }
        List<String> prepared = voted.participantsWhere(b -> b.state() == BranchState.PREPARED);
        if (prepared.isEmpty()) {
            // All read-only: no phase 2, but the client is told COMMITTED, so the decision is forced.
            return Step.forced(voted.decided(TransactionState.COMMITTED, Outcome.COMMITTED, null));
        }
        return Step.forced(voted.decided(TransactionState.COMMITTING, Outcome.COMMITTED, null), new SendCommit(prepared));
    }

    private static Branch recordVote(Branch branch, Reply reply) {
        if (reply instanceof Reply.Voted v) {
            switch (v.vote()) {
                case PREPARED: return branch.moveTo(BranchState.PREPARED);
                case READ_ONLY: return branch.moveTo(BranchState.READ_ONLY);
                default: return branch.moveTo(BranchState.ABORTED);
            }
        }
        return branch.failed(describeFailure(reply));
    }

    private static Step onePhaseReplied(Transaction tx, Reply reply) {
        if (tx.state() != TransactionState.PREPARING || !tx.isOnePhase()) {
            return Step.unchanged(tx);
        }
        Branch only = tx.branches().get(0);
        if (reply instanceof Reply.Held h) {
            Transaction held = tx.mapBranches(b -> b.held(h.why()));
            return Step.inMemory(held, new RetryLater(only.attempts(), true));
        }
        if (!(reply instanceof Reply.Finished f)) {
            Transaction failed = tx.mapBranches(b -> b.failed(describeFailure(reply)));
            return Step.inMemory(failed, new RetryLater(failed.branches().get(0).attempts()));
        }
        switch (f.outcome()) {
            case COMMITTED:
                return Step.inMemory(tx.mapBranches(b -> b.moveTo(BranchState.COMMITTED))
                        .decided(TransactionState.COMMITTED, Outcome.COMMITTED, null));
            case ROLLED_BACK:
                return Step.inMemory(tx.mapBranches(b -> b.moveTo(BranchState.ROLLED_BACK))
                        .decided(TransactionState.ROLLED_BACK, Outcome.ROLLED_BACK,
                                "participant " + only.participant() + " rolled back its one-phase commit"));
            default:
                // The participant's own mixed outcome. One-phase commits leave no record, so this
                // one is forced: a heuristic must stay visible after a crash (I1).
                return Step.forced(tx.mapBranches(b -> b.moveTo(BranchState.HEURISTIC_MIXED))
                        .decided(TransactionState.HEURISTIC, Outcome.COMMITTED, null));
        }
    }

    private static Step phaseTwoReplied(Transaction tx, Map<String, Reply> replies) {
        boolean committing = tx.state() == TransactionState.COMMITTING;
        if (!committing && tx.state() != TransactionState.ROLLING_BACK) {
            return Step.unchanged(tx); // duplicate round after completion
        }
        Transaction next = tx.updateBranches(replies, (branch, reply) -> {
            if (!isPending(branch, committing)) {
                return branch; // already settled by an earlier round
            }
            if (reply instanceof Reply.Finished f) {
                return branch.moveTo(settledState(committing, f.outcome()));
            }
            if (reply instanceof Reply.Held h) {
                return branch.held(h.why());
            }
            return branch.failed(describeFailure(reply));
        });
        boolean allHeld = replies.values().stream().allMatch(r -> r instanceof Reply.Held);
        return finishOrRetry(next, committing, allHeld);
    }

    private static BranchState settledState(boolean committing, Outcome reported) {
        if (reported == Outcome.HEURISTIC_MIXED) {
            return BranchState.HEURISTIC_MIXED;
        }
        if (committing) {
            return reported == Outcome.COMMITTED ? BranchState.COMMITTED : BranchState.HEURISTIC_ROLLBACK;
        }
        return reported == Outcome.ROLLED_BACK ? BranchState.ROLLED_BACK : BranchState.HEURISTIC_COMMIT;
    }

    private static Step finishOrRetry(Transaction tx, boolean committing) {
        return finishOrRetry(tx, committing, false);
    }

    private static Step finishOrRetry(Transaction tx, boolean committing, boolean held) {
        List<Branch> pending = tx.branches().stream().filter(b -> isPending(b, committing)).toList();
        if (pending.isEmpty()) {
            boolean heuristic = tx.branches().stream().anyMatch(b -> b.state().isHeuristic());
            if (committing) {
                // The commit decision is on record; its completion is re-derivable, so lazy.
                return Step.lazy(tx.withState(heuristic ? TransactionState.HEURISTIC : TransactionState.COMMITTED));
            }
            // A rollback has no record (presumed abort), so finishing it writes nothing, unless a
            // participant contradicted it: that must be recorded before it is forgotten (I1).
            return heuristic ? Step.forced(tx.withState(TransactionState.HEURISTIC))
                    : Step.inMemory(tx.withState(TransactionState.ROLLED_BACK));
        }
        int attempt = pending.stream().mapToInt(Branch::attempts).max().orElse(0);
        return Step.inMemory(tx, new RetryLater(attempt, held));
    }

    /** Re-sends whatever is still undelivered: the one-phase commit, or the phase-2 messages. */
    private static Step resend(Transaction tx) {
        switch (tx.state()) {
            case PREPARING:
                if (tx.isOnePhase()) {
                    return Step.inMemory(tx, new SendOnePhaseCommit(tx.branches().get(0).participant()));
                }
                return Step.unchanged(tx);
            case COMMITTING:
            case ROLLING_BACK: {
                boolean committing = tx.state() == TransactionState.COMMITTING;
                List<String> pending = tx.participantsWhere(b -> isPending(b, committing));
                if (pending.isEmpty()) {
                    return finishOrRetry(tx, committing);
                }
                Effect send = committing ? new SendCommit(pending) : new SendRollback(pending);
                return Step.inMemory(tx, send);
            }
            default:
                return Step.unchanged(tx);
        }
    }

    private static boolean isPending(Branch b, boolean committing) {
        return committing ? b.state() == BranchState.PREPARED : b.state().needsRollback();
    }

    /**
     * An operator's rollback is a client's rollback with the operator's reason, with one more
     * refusal: a one-phase commit is the participant's to decide, and rolling it back here could
     * contradict what the participant did; its outcome is recorded instead ({@link Resolved}).
     */
    private static Step operatorRollback(Transaction tx, String reason) {
        if (tx.decision() == Outcome.COMMITTED) {
            return Step.rejected(tx, Rejection.ALREADY_COMMITTED);
        }
        if (tx.decision() == Outcome.ROLLED_BACK) {
            return Step.rejected(tx, Rejection.ALREADY_ROLLED_BACK);
        }
        if (tx.state() == TransactionState.PREPARING && tx.isOnePhase()) {
            return Step.rejected(tx, Rejection.DELEGATED);
        }
        return rollBack(tx, REASON_OPERATOR + reason);
    }

    /**
     * What an operator applied by hand at a participant that cannot answer. Decided: only the
     * decision itself can have been applied (I2), and only to a branch still waiting for it; the
     * branch is settled and the transaction finishes as if the participant had answered. A one-phase
     * commit: the participant's outcome, whichever it was, as if it had answered.
     */
    private static Step resolved(Transaction tx, String participant, Outcome applied) {
        if (tx.state() == TransactionState.PREPARING && tx.isOnePhase()) {
            if (!tx.hasBranch(participant)) {
                return Step.rejected(tx, Rejection.NOT_WAITING);
            }
            if (applied == Outcome.HEURISTIC_MIXED) {
                return Step.rejected(tx, Rejection.CONTRADICTS_DECISION);
            }
            boolean committed = applied == Outcome.COMMITTED;
            return Step.inMemory(tx.mapBranches(b -> b.moveTo(BranchState.RESOLVED)).decided(
                    committed ? TransactionState.COMMITTED : TransactionState.ROLLED_BACK, applied,
                    committed ? null : "participant " + participant + " rolled back its one-phase commit (recorded by an operator)"));
        }
        if (!tx.state().isDecided()) {
            return Step.rejected(tx, Rejection.UNDECIDED);
        }
        boolean committing = tx.state() == TransactionState.COMMITTING;
        if (!committing && tx.state() != TransactionState.ROLLING_BACK
                || tx.branches().stream().noneMatch(b -> b.participant().equals(participant) && isPending(b, committing))) {
            return Step.rejected(tx, Rejection.NOT_WAITING);
        }
        if (applied != tx.decision()) {
            return Step.rejected(tx, Rejection.CONTRADICTS_DECISION);
        }
        Transaction next = tx.updateBranches(Map.of(participant, applied), (b, ignored) -> b.moveTo(BranchState.RESOLVED));
        return finishOrRetry(next, committing);
    }

    private static String describeFailure(Reply reply) {
        if (reply instanceof Reply.Failed f) {
            return f.error();
        }
        if (reply instanceof Reply.Held h) {
            return h.why();
        }
        return "unexpected reply " + reply;
    }
}
