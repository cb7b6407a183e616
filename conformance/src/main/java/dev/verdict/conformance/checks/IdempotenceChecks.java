package dev.verdict.conformance.checks;

import dev.verdict.conformance.Check;
import dev.verdict.conformance.Check.Skipped;
import dev.verdict.conformance.Session;
import java.util.List;

/** Obligation 3: every callback may come twice; each has one effect (at least and at most once) and one answer. */
public final class IdempotenceChecks {

    private IdempotenceChecks() {}

    public static List<Check> all() {
        return List.of(
                new Check("duplicate-prepare", "a repeated prepare answers the same vote (obligation 3)", IdempotenceChecks::duplicatePrepare),
                new Check("commit-applies", "a commit, and a commit-one-phase, apply the work: --observe changes from before the work (obligations 1, 3, 8)",
                        IdempotenceChecks::commitApplies),
                new Check("duplicate-commit", "a repeated commit answers COMMITTED and applies nothing more (obligation 3)", IdempotenceChecks::duplicateCommit),
                new Check("read-only-lost-vote", "after READ_ONLY, a rollback (the vote was lost) answers ROLLED_BACK (obligation 3)", IdempotenceChecks::readOnlyLostVote),
                new Check("one-phase-repeat", "a repeated commit-one-phase answers the same outcome and changes nothing (obligations 3, 8)", IdempotenceChecks::onePhaseRepeat));
    }

    static void duplicatePrepare(Session s) throws Exception {
        String id = s.newId();
        s.work(id);
        s.expectVote(s.call(id, "prepare"), "PREPARED", "the first prepare");
        s.expectVote(s.call(id, "prepare"), "PREPARED", "a repeated prepare answers the same vote");
        s.finish(id, "ROLLED_BACK");
    }

    /** At least once: answering COMMITTED without applying the work passes every "applied once" check. */
    static void commitApplies(Session s) throws Exception {
        s.requireObserve("whether a commit applies the work");
        var before = s.observe();
        String id = s.newId();
        s.work(id);
        s.expectVote(s.call(id, "prepare"), "PREPARED", "its work is held");
        s.coordinator.decide(id, "COMMITTED");
        s.expectOutcome(s.call(id, "commit"), "COMMITTED", "the decision");
        s.expectApplied(before, "work, prepare and commit of " + id);

        before = s.observe();
        String onePhase = s.newId();
        s.work(onePhase);
        s.coordinator.decide(onePhase, "COMMITTED");
        s.expectOutcome(s.call(onePhase, "commit-one-phase"), "COMMITTED", "its work can commit");
        s.expectApplied(before, "work and commit-one-phase of " + onePhase);
    }

    static void duplicateCommit(Session s) throws Exception {
        String id = s.newId();
        s.work(id);
        s.expectVote(s.call(id, "prepare"), "PREPARED", "its work is held");
        s.coordinator.decide(id, "COMMITTED");
        s.expectOutcome(s.call(id, "commit"), "COMMITTED", "the first commit");
        s.expectRepeatChangesNothing(id, "commit", "COMMITTED");
    }

    static void readOnlyLostVote(Session s) throws Exception {
        if (s.options.readOnlyWork == null) {
            throw new Skipped("no --read-only-work given");
        }
        String id = s.newId();
        s.work(s.options.readOnlyWork, "--read-only-work", id);
        s.expectVote(s.call(id, "prepare"), "READ_ONLY", "--read-only-work joined without work");
        s.coordinator.decide(id, "ROLLED_BACK");
        s.expectOutcome(s.call(id, "rollback"), "ROLLED_BACK",
                "a read-only voter whose vote was lost hears the rollback; COMMITTED would be a heuristic outcome");
    }

    static void onePhaseRepeat(Session s) throws Exception {
        String id = s.newId();
        s.work(id);
        s.coordinator.decide(id, "COMMITTED");
        s.expectOutcome(s.call(id, "commit-one-phase"), "COMMITTED", "its work can commit");
        s.expectRepeatChangesNothing(id, "commit-one-phase", "COMMITTED");
    }
}
