package dev.verdict.coordinator.core;

import dev.verdict.coordinator.core.Reply.Failed;
import dev.verdict.coordinator.core.Reply.Finished;
import dev.verdict.coordinator.core.Reply.Voted;
import dev.verdict.protocol.Outcome;
import dev.verdict.protocol.Vote;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Named situations and events for the transition-table test, and a one-line rendering of a step. */
final class ProtocolFixtures {

    private ProtocolFixtures() {}

    static Branch branch(String p, BranchState s) {
        return new Branch(p, s, 0, null);
    }

    static Transaction tx(TransactionState state, Outcome decision, Branch... branches) {
        return new Transaction("t1", state, decision, decision == Outcome.ROLLED_BACK ? "why" : null, List.of(branches));
    }

    static Map<String, Transaction> situations() {
        Map<String, Transaction> s = new LinkedHashMap<>();
        s.put("ACTIVE/0", tx(TransactionState.ACTIVE, null));
        s.put("ACTIVE/1", tx(TransactionState.ACTIVE, null, branch("a", BranchState.ENLISTED)));
        s.put("ACTIVE/2", tx(TransactionState.ACTIVE, null, branch("a", BranchState.ENLISTED), branch("b", BranchState.ENLISTED)));
        s.put("PREPARING/1", tx(TransactionState.PREPARING, null, branch("a", BranchState.ENLISTED)));
        s.put("PREPARING/2", tx(TransactionState.PREPARING, null, branch("a", BranchState.ENLISTED), branch("b", BranchState.ENLISTED)));
        s.put("COMMITTING", tx(TransactionState.COMMITTING, Outcome.COMMITTED, branch("a", BranchState.COMMITTED), branch("b", BranchState.PREPARED)));
        s.put("ROLLING_BACK", tx(TransactionState.ROLLING_BACK, Outcome.ROLLED_BACK, branch("a", BranchState.READ_ONLY), branch("b", BranchState.PREPARED)));
        s.put("COMMITTED", tx(TransactionState.COMMITTED, Outcome.COMMITTED, branch("a", BranchState.COMMITTED), branch("b", BranchState.COMMITTED)));
        s.put("ROLLED_BACK", tx(TransactionState.ROLLED_BACK, Outcome.ROLLED_BACK, branch("a", BranchState.ROLLED_BACK), branch("b", BranchState.ABORTED)));
        s.put("HEURISTIC", tx(TransactionState.HEURISTIC, Outcome.COMMITTED, branch("a", BranchState.COMMITTED), branch("b", BranchState.HEURISTIC_ROLLBACK)));
        return s;
    }

    static Map<String, Event> events() {
        Voted prepared = new Voted(Vote.PREPARED);
        Map<String, Event> e = new LinkedHashMap<>();
        e.put("enlist-new", new Event.Enlist("c"));
        e.put("enlist-again", new Event.Enlist("a"));
        e.put("commit", new Event.CommitRequested());
        e.put("rollback", new Event.RollbackRequested());
        e.put("expired", new Event.Expired());
        e.put("recovered", new Event.Recovered());
        e.put("retry-due", new Event.RetryDue());
        e.put("fenced", new Event.Fenced());
        e.put("votes-prepared", new Event.VotesReceived(Map.of("a", prepared, "b", prepared)));
        e.put("votes-one-read-only", new Event.VotesReceived(Map.of("a", new Voted(Vote.READ_ONLY), "b", prepared)));
        e.put("votes-all-read-only", new Event.VotesReceived(Map.of("a", new Voted(Vote.READ_ONLY), "b", new Voted(Vote.READ_ONLY))));
        e.put("votes-one-abort", new Event.VotesReceived(Map.of("a", prepared, "b", new Voted(Vote.ABORT))));
        e.put("votes-one-failed", new Event.VotesReceived(Map.of("a", prepared, "b", new Failed("timeout"))));
        e.put("one-phase-committed", new Event.OnePhaseReplied(new Finished(Outcome.COMMITTED)));
        e.put("one-phase-rolled-back", new Event.OnePhaseReplied(new Finished(Outcome.ROLLED_BACK)));
        e.put("one-phase-failed", new Event.OnePhaseReplied(new Failed("reset")));
        e.put("one-phase-mixed", new Event.OnePhaseReplied(new Finished(Outcome.HEURISTIC_MIXED)));
        e.put("phase2-committed", new Event.PhaseTwoReplied(Map.of("b", new Finished(Outcome.COMMITTED))));
        e.put("phase2-rolled-back", new Event.PhaseTwoReplied(Map.of("b", new Finished(Outcome.ROLLED_BACK))));
        e.put("phase2-failed", new Event.PhaseTwoReplied(Map.of("b", new Failed("HTTP 500"))));
        e.put("phase2-held", new Event.PhaseTwoReplied(Map.of("b", new Reply.Held("paused"))));
        e.put("one-phase-held", new Event.OnePhaseReplied(new Reply.Held("paused")));
        e.put("operator-rollback", new Event.OperatorRollback("ops"));
        e.put("resolve-a-committed", new Event.Resolved("a", Outcome.COMMITTED));
        e.put("resolve-b-committed", new Event.Resolved("b", Outcome.COMMITTED));
        e.put("resolve-b-rolled-back", new Event.Resolved("b", Outcome.ROLLED_BACK));
        return e;
    }

    /** e.g. "PREPARING lazy SendPrepare[a, b]", "reject NOT_ACTIVE", "unchanged". */
    static String render(Transaction before, Step step) {
        if (step.isRejected()) {
            return "reject " + step.rejection();
        }
        if (step.next().equals(before) && step.effects().isEmpty()) {
            return "unchanged";
        }
        String effects = step.effects().stream().map(ProtocolFixtures::render).collect(Collectors.joining(" "));
        String branches = step.next().branches().stream()
                .map(b -> b.participant() + "=" + b.state() + (b.attempts() > 0 ? "#" + b.attempts() : ""))
                .collect(Collectors.joining(","));
        return (step.next().state() + " " + step.durability().name().toLowerCase() + " " + effects).trim()
                + " {" + branches + "}";
    }

    private static String render(Effect e) {
        if (e instanceof Effect.SendPrepare s) return "SendPrepare" + s.participants();
        if (e instanceof Effect.SendCommit s) return "SendCommit" + s.participants();
        if (e instanceof Effect.SendRollback s) return "SendRollback" + s.participants();
        if (e instanceof Effect.SendOnePhaseCommit s) return "SendOnePhase[" + s.participant() + "]";
        if (e instanceof Effect.RetryLater r) return "RetryLater(" + r.attempt() + (r.held() ? " held" : "") + ")";
        throw new IllegalArgumentException(String.valueOf(e));
    }
}
