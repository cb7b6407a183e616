package dev.verdict.conformance.checks;

import dev.verdict.conformance.Answer;
import dev.verdict.conformance.Check;
import dev.verdict.conformance.Check.Skipped;
import dev.verdict.conformance.Check.Violation;
import dev.verdict.conformance.Session;
import java.util.List;

/** Obligation 4: an id with no record rolls back, and the tombstone keeps it rolled back. */
public final class UnknownIdChecks {

    private UnknownIdChecks() {}

    public static List<Check> all() {
        return List.of(
                new Check("prepare-unknown", "prepare for a never-seen id votes ABORT and leaves a tombstone: later work is refused (obligation 4)",
                        UnknownIdChecks::prepareUnknown),
                new Check("unknown-rollback", "rollback for a never-seen id answers ROLLED_BACK, twice, and leaves a tombstone (obligation 4)",
                        UnknownIdChecks::unknownRollback),
                new Check("rollback-before-prepare", "a rollback of joined work before prepare undoes it; a late prepare votes ABORT and holds nothing (obligation 4)",
                        UnknownIdChecks::rollbackBeforePrepare),
                new Check("one-phase-unknown", "commit-one-phase for a never-seen id answers ROLLED_BACK, twice, and leaves a tombstone (obligation 4)",
                        UnknownIdChecks::onePhaseUnknown),
                new Check("abort-then-rollback", "after an ABORT vote, a rollback answers ROLLED_BACK (section 5, obligation 4)",
                        UnknownIdChecks::abortThenRollback));
    }

    static void prepareUnknown(Session s) throws Exception {
        String id = s.newId();
        s.expectVote(s.call(id, "prepare"), "ABORT", "this participant never saw " + id + "; READ_ONLY would let the others commit without work still on its way");
        tombstoned(s, id);
    }

    static void unknownRollback(Session s) throws Exception {
        String id = s.newId();
        s.coordinator.decide(id, "ROLLED_BACK");
        s.expectOutcome(s.call(id, "rollback"), "ROLLED_BACK", "a rollback of what was never known");
        s.expectRepeatChangesNothing(id, "rollback", "ROLLED_BACK");
        tombstoned(s, id);
    }

    static void rollbackBeforePrepare(Session s) throws Exception {
        String id = s.newId();
        var before = s.observe();
        s.work(id);
        s.coordinator.decide(id, "ROLLED_BACK");
        s.expectOutcome(s.call(id, "rollback"), "ROLLED_BACK", "the work was joined, not prepared");
        s.expectVote(s.call(id, "prepare"), "ABORT", "it was rolled back before this late prepare");
        s.expectUnchanged(before, "after a rollback and a late prepare (work held or applied?)");
    }

    static void onePhaseUnknown(Session s) throws Exception {
        String id = s.newId();
        s.coordinator.decide(id, "ROLLED_BACK");
        s.expectOutcome(s.call(id, "commit-one-phase"), "ROLLED_BACK", "this participant has no work under " + id + " to commit");
        s.expectRepeatChangesNothing(id, "commit-one-phase", "ROLLED_BACK");
        tombstoned(s, id);
    }

    static void abortThenRollback(Session s) throws Exception {
        if (s.options.abortWork == null) {
            throw new Skipped("no --abort-work given");
        }
        String id = s.newId();
        s.work(s.options.abortWork, "--abort-work", id);
        s.expectVote(s.call(id, "prepare"), "ABORT", "--abort-work cannot be prepared");
        s.coordinator.decide(id, "ROLLED_BACK");
        s.expectOutcome(s.call(id, "rollback"), "ROLLED_BACK", "a rollback after an ABORT vote (an operator's, a duplicate)");
        s.expectVote(s.call(id, "prepare"), "ABORT", "a repeated prepare answers the same vote");
    }

    /** Work arriving after the id rolled back here is refused (409), and a prepare still votes ABORT. */
    private static void tombstoned(Session s, String id) throws Exception {
        var before = s.observe();
        Answer late = s.participant.work(s.options.work, id);
        if (late.status() != 409) {
            throw new Violation(late.evidence() + "; expected 409: " + id + " rolled back here, so no work may join it"
                    + " (its enlistment was accepted, as one racing the rollback would be)");
        }
        s.expectUnchanged(before, "after work was refused");
        s.expectVote(s.call(id, "prepare"), "ABORT", id + " rolled back here");
    }
}
