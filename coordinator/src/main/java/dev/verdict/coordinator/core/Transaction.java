package dev.verdict.coordinator.core;

import dev.verdict.protocol.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Immutable snapshot of one transaction as the protocol sees it. Times and scheduling are the
 * driver's business; the core only needs what decides the next move.
 *
 * @param decision null while undecided; once set it never changes (invariant I2)
 * @param reason why the transaction rolled back, or null
 */
public record Transaction(String id, TransactionState state, Outcome decision, String reason, List<Branch> branches) {

    public Transaction {
        branches = List.copyOf(branches);
    }

    public static Transaction begun(String id) {
        return new Transaction(id, TransactionState.ACTIVE, null, null, List.of());
    }

    /** With one branch, commit is delegated to that participant (one-phase commit). */
    public boolean isOnePhase() {
        return branches.size() == 1;
    }

    public boolean hasBranch(String participant) {
        return branches.stream().anyMatch(b -> b.participant().equals(participant));
    }

    public List<String> participantsWhere(Predicate<Branch> test) {
        return branches.stream().filter(test).map(Branch::participant).toList();
    }

    /**
     * The participants whose answer it waits for: votes while preparing, the outcome of a
     * one-phase commit, acknowledgements of phase 2. Empty once finished, and while active.
     */
    public List<String> waitingOn() {
        switch (state) {
            case PREPARING:
                return isOnePhase() ? participantsWhere(b -> true) : participantsWhere(b -> b.state() == BranchState.ENLISTED);
            case COMMITTING:
                return participantsWhere(b -> b.state() == BranchState.PREPARED);
            case ROLLING_BACK:
                return participantsWhere(b -> b.state().needsRollback());
            default:
                return List.of();
        }
    }

    Transaction withState(TransactionState next) {
        return new Transaction(id, next, decision, reason, branches);
    }

    Transaction decided(TransactionState next, Outcome outcome, String why) {
        if (decision != null && decision != outcome) {
            throw new IllegalStateException("decision of " + id + " is " + decision + ", cannot become " + outcome);
        }
        return new Transaction(id, next, outcome, decision == null ? why : reason, branches);
    }

    Transaction withBranch(Branch branch) {
        List<Branch> next = new ArrayList<>(branches);
        next.add(branch);
        return new Transaction(id, state, decision, reason, next);
    }

    /** Applies a per-branch change to the branches named in the map, leaving the others alone. */
    <T> Transaction updateBranches(Map<String, T> inputs, BiFunction<Branch, T, Branch> change) {
        return new Transaction(id, state, decision, reason, branches.stream()
                .map(b -> inputs.containsKey(b.participant()) ? change.apply(b, inputs.get(b.participant())) : b)
                .toList());
    }

    Transaction mapBranches(Function<Branch, Branch> change) {
        return new Transaction(id, state, decision, reason, branches.stream().map(change).toList());
    }
}
