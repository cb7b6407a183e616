package dev.verdict.coordinator.sim;

import dev.verdict.coordinator.core.Reply;
import dev.verdict.protocol.Outcome;
import dev.verdict.protocol.Vote;
import java.util.HashMap;
import java.util.Map;

/**
 * A participant as the sample kit behaves: one durable row per transaction, tombstones for a
 * rollback that arrives first, and a refusal (an error reply) for a commit it never prepared. It
 * counts how often each transaction's work was committed or rolled back, to check exactly-once.
 */
final class SimParticipant {

    enum State { ACTIVE, PREPARED, READ_ONLY, COMMITTED, ROLLED_BACK }

    final String name;
    final Map<String, State> rows = new HashMap<>();
    /** The vote this participant's work will give, chosen when the work joined. */
    final Map<String, Vote> plannedVote = new HashMap<>();
    final Map<String, Integer> commitsApplied = new HashMap<>();
    final Map<String, Integer> rollbacksApplied = new HashMap<>();

    SimParticipant(String name) {
        this.name = name;
    }

    /** Work joins a transaction; refused once the transaction is prepared or finished here. */
    boolean join(String tx, Vote vote) {
        State s = rows.putIfAbsent(tx, State.ACTIVE);
        if (s != null && s != State.ACTIVE) {
            return false;
        }
        plannedVote.put(tx, vote);
        return true;
    }

    /** Transactions this participant has joined or prepared and not yet heard the outcome of. */
    java.util.List<String> waiting() {
        return rows.entrySet().stream().filter(e -> e.getValue() == State.ACTIVE || e.getValue() == State.PREPARED)
                .map(Map.Entry::getKey).sorted().toList();
    }

    boolean hasWork(String tx) {
        return plannedVote.containsKey(tx) && plannedVote.get(tx) != Vote.READ_ONLY;
    }

    Reply handle(Call.Kind kind, String tx) {
        switch (kind) {
            case PREPARE: return prepare(tx);
            case COMMIT: return commit(tx);
            case ROLLBACK: {
                State s = rollback(tx);
                return finished(s == State.READ_ONLY ? State.ROLLED_BACK : s);
            }
            default: return onePhase(tx);
        }
    }

    private Reply prepare(String tx) {
        State s = rows.computeIfAbsent(tx, k -> State.ROLLED_BACK);
        switch (s) {
            case ACTIVE: {
                Vote vote = plannedVote.getOrDefault(tx, Vote.READ_ONLY);
                if (vote == Vote.ABORT) {
                    undo(tx);
                } else {
                    rows.put(tx, vote == Vote.PREPARED ? State.PREPARED : State.READ_ONLY);
                }
                return new Reply.Voted(vote);
            }
            case PREPARED: return new Reply.Voted(Vote.PREPARED);
            case READ_ONLY:
            case COMMITTED: return new Reply.Voted(Vote.READ_ONLY);
            default: return new Reply.Voted(Vote.ABORT);
        }
    }

    private Reply commit(String tx) {
        State s = rows.get(tx);
        if (s == null || s == State.ACTIVE) {
            return new Reply.Failed("409 not-prepared");
        }
        if (s == State.PREPARED) {
            apply(tx);
        }
        return finished(s == State.READ_ONLY ? State.COMMITTED : rows.get(tx));
    }

    private State rollback(String tx) {
        State s = rows.computeIfAbsent(tx, k -> State.ROLLED_BACK);
        if (s == State.ACTIVE || s == State.PREPARED) {
            undo(tx);
        }
        return rows.get(tx);
    }

    private Reply onePhase(String tx) {
        State s = rows.computeIfAbsent(tx, k -> State.ROLLED_BACK);
        if (s == State.ACTIVE) {
            Vote vote = plannedVote.getOrDefault(tx, Vote.READ_ONLY);
            if (vote == Vote.ABORT) {
                undo(tx);
            } else {
                apply(tx);
            }
        } else if (s == State.PREPARED) {
            apply(tx);
        }
        return finished(rows.get(tx) == State.READ_ONLY ? State.COMMITTED : rows.get(tx));
    }

    /** The in-doubt resolver's answer from the coordinator: apply a decision it reports. */
    void resolve(String tx, Outcome decision) {
        if (decision == Outcome.COMMITTED && rows.get(tx) == State.PREPARED) {
            apply(tx);
        } else if (decision == Outcome.ROLLED_BACK) {
            rollback(tx);
        }
    }

    private void apply(String tx) {
        rows.put(tx, State.COMMITTED);
        if (hasWork(tx)) {
            commitsApplied.merge(tx, 1, Integer::sum);
        }
    }

    private void undo(String tx) {
        rows.put(tx, State.ROLLED_BACK);
        if (hasWork(tx)) {
            rollbacksApplied.merge(tx, 1, Integer::sum);
        }
    }

    private static Reply finished(State s) {
        return new Reply.Finished(s == State.COMMITTED ? Outcome.COMMITTED : Outcome.ROLLED_BACK);
    }
}
