package dev.verdict.conformance.checks;

import dev.verdict.conformance.Answer;
import dev.verdict.conformance.Check;
import dev.verdict.conformance.Check.Violation;
import dev.verdict.conformance.Session;
import dev.verdict.protocol.ProblemTypes;
import java.util.List;

/** Obligations 5 and 9: protocol errors are 4xx problem documents and change nothing. */
public final class ProtocolErrorChecks {

    private ProtocolErrorChecks() {}

    public static List<Check> all() {
        return List.of(
                new Check("commit-without-prepare", "commit of an id never prepared here (never seen, joined but unprepared, or a tombstone"
                        + " left by a rollback before prepare or an ABORT vote) answers 409 not-prepared and changes nothing (obligations 4, 5)",
                        ProtocolErrorChecks::commitWithoutPrepare),
                new Check("unknown-action", "a signed callback with an action that does not exist answers 400 and changes nothing (obligation 5)",
                        ProtocolErrorChecks::unknownAction),
                new Check("body-contradicts-path", "a body transactionId other than the path's answers 400 and changes nothing (obligation 9)",
                        ProtocolErrorChecks::bodyContradictsPath));
    }

    /** Runs last: every error answer of the run, plus two it provokes itself. */
    public static Check problemJson() {
        return new Check("problem-json", "every error answer to a callback is application/problem+json with its status (obligation 5)",
                ProtocolErrorChecks::problemJson);
    }

    static void commitWithoutPrepare(Session s) throws Exception {
        notPrepared(s.call(s.newId(), "commit"), "never seen here");
        String id = s.newId();
        var before = s.observe();
        s.work(id);
        notPrepared(s.call(id, "commit"), "joined, never prepared");
        s.expectUnchanged(before, "after a refused commit");
        s.expectVote(s.call(id, "prepare"), "PREPARED", "the refused commit changed nothing");
        s.finish(id, "ROLLED_BACK");

        // Tombstones: rolled back, or voted ABORT, before any PREPARED vote. Not the heuristic
        // ROLLED_BACK of a transaction rolled back after it prepared: this one never could commit.
        String rolledBack = s.newId();
        s.coordinator.decide(rolledBack, "ROLLED_BACK");
        s.expectOutcome(s.call(rolledBack, "rollback"), "ROLLED_BACK", "a rollback of a never-seen id");
        tombstoneCommit(s, rolledBack, "a tombstone left by a rollback before prepare of a never-seen id");
        String joined = s.newId();
        s.work(joined);
        s.coordinator.decide(joined, "ROLLED_BACK");
        s.expectOutcome(s.call(joined, "rollback"), "ROLLED_BACK", "a rollback of joined work before prepare");
        tombstoneCommit(s, joined, "joined, then rolled back before prepare");
        String aborted = s.newId();
        s.expectVote(s.call(aborted, "prepare"), "ABORT", "a prepare for a never-seen id");
        tombstoneCommit(s, aborted, "a tombstone left by its ABORT vote on a prepare for a never-seen id");
    }

    /** A commit on a tombstone is refused and leaves the tombstone as it was: a prepare still votes ABORT. */
    private static void tombstoneCommit(Session s, String id, String state) throws Exception {
        var before = s.observe();
        notPrepared(s.call(id, "commit"), state);
        s.expectUnchanged(before, "after a refused commit of a tombstone");
        s.expectVote(s.call(id, "prepare"), "ABORT", id + " rolled back here, and the refused commit changed nothing");
    }

    private static void notPrepared(Answer a, String state) throws Violation {
        String slug = a.isProblem() ? ProblemTypes.slug(a.field("type")) : null;
        if (a.status() != 409 || !ProblemTypes.NOT_PREPARED.equals(slug)) {
            throw new Violation(a.evidence() + "; expected 409 application/problem+json of type "
                    + ProblemTypes.uri(ProblemTypes.NOT_PREPARED) + " (a commit for a transaction " + state + ")");
        }
    }

    static void unknownAction(Session s) throws Exception {
        String id = s.newId();
        s.work(id);
        s.expectStatus(s.call(id, "abandon"), 400, "'abandon' is no action of the protocol");
        s.expectVote(s.call(id, "prepare"), "PREPARED", "the refused callback changed nothing");
        s.finish(id, "ROLLED_BACK");
    }

    static void bodyContradictsPath(Session s) throws Exception {
        String id = s.newId();
        String other = s.newId();
        s.work(id);
        Answer a = s.send(s.participant.callback(id, "rollback").withBody("{\"transactionId\":\"" + other + "\"}")
                .signingBody("{\"transactionId\":\"" + other + "\"}"));
        s.expectStatus(a, 400, "the body names " + other + ", the path " + id);
        s.expectVote(s.call(id, "prepare"), "PREPARED", "the refused rollback changed nothing");
        s.finish(id, "ROLLED_BACK");
    }

    static void problemJson(Session s) throws Exception {
        s.call(s.newId(), "commit");
        s.send(s.participant.callback(s.newId(), "rollback").unsigned());
        for (Answer a : s.errorAnswers()) {
            if (!a.isProblem()) {
                throw new Violation(a.evidence() + "; expected application/problem+json with \"type\" (and \"status\" "
                        + a.status() + " if given)");
            }
        }
    }
}
