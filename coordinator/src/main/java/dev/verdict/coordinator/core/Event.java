package dev.verdict.coordinator.core;

import dev.verdict.protocol.Outcome;
import java.util.Map;

/** Everything that can happen to a transaction. Commands come from clients; the rest from the driver. */
public sealed interface Event {

    record Enlist(String participant) implements Event {}

    record CommitRequested() implements Event {}

    record RollbackRequested() implements Event {}

    /** The transaction outlived its timeout. */
    record Expired() implements Event {}

    /** Every prepare call has answered or failed; keyed by participant. */
    record VotesReceived(Map<String, Reply> replies) implements Event {}

    record OnePhaseReplied(Reply reply) implements Event {}

    /** The phase-2 calls of one round have answered or failed; keyed by participant. */
    record PhaseTwoReplied(Map<String, Reply> replies) implements Event {}

    /** A scheduled retry of undelivered messages is due. */
    record RetryDue() implements Event {}

    /** The process that was driving this transaction is gone (restart after a crash). */
    record Recovered() implements Event {}

    /**
     * The log refused this node's commit decision: another coordinator node, unable to reach this
     * one, had already answered "rolled back" for the transaction and recorded that answer under the
     * same key (invariant I8). The transaction must roll back.
     */
    record Fenced() implements Event {}

    /** An operator rolls back an undecided transaction, giving a reason (docs/operator-api.md). */
    record OperatorRollback(String reason) implements Event {}

    /**
     * An operator states what a participant that cannot answer did, having checked it there: for a
     * decided transaction, that the decision was applied by hand (it must be the decision: I2); for
     * a one-phase commit, the participant's own outcome.
     */
    record Resolved(String participant, Outcome applied) implements Event {}
}
