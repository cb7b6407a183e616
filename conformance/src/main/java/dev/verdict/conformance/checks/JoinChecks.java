package dev.verdict.conformance.checks;

import dev.verdict.conformance.Answer;
import dev.verdict.conformance.Check;
import dev.verdict.conformance.Check.Violation;
import dev.verdict.conformance.FakeCoordinator;
import dev.verdict.conformance.Session;
import java.util.List;

/** Obligation 2: enlist first, then the work; and what each answer to enlisting means. */
public final class JoinChecks {

    private JoinChecks() {}

    public static List<Check> all() {
        return List.of(
                new Check("work-enlists", "work under a transaction enlists before it answers, then prepares and commits (obligations 1, 2)",
                        JoinChecks::workEnlists),
                new Check("enlist-refused", "enlisting answered 404, 409 or 422: no work, the same status to the caller as problem+json with transactionId (obligation 2)",
                        JoinChecks::enlistRefused),
                new Check("enlist-unavailable", "enlisting answered 503: no work, 503 with Retry-After to the caller as problem+json with transactionId (obligation 2)",
                        JoinChecks::enlistUnavailable));
    }

    static void workEnlists(Session s) throws Exception {
        String id = s.newId();
        Answer work = s.work(id);
        List<FakeCoordinator.Enlistment> enlisted = s.coordinator.enlistments(id);
        if (enlisted.isEmpty()) {
            throw new Violation(work.evidence() + " without enlisting (no POST /transactions/" + id + "/branches)");
        }
        String name = s.participant.registration().name();
        if (!name.equals(enlisted.get(0).participant())) {
            throw new Violation("enlisted in " + id + " as '" + enlisted.get(0).participant() + "', registered as '" + name + "'");
        }
        s.expectVote(s.call(id, "prepare"), "PREPARED", "its work is held");
        s.coordinator.decide(id, "COMMITTED");
        s.expectOutcome(s.call(id, "commit"), "COMMITTED", "the decision");
    }

    static void enlistRefused(Session s) throws Exception {
        for (int status : new int[] {404, 409, 422}) {
            refusedEnlist(s, status);
        }
    }

    static void enlistUnavailable(Session s) throws Exception {
        Answer a = refusedEnlist(s, 503);
        if (a.retryAfter() == null) {
            throw new Violation(a.evidence() + "; expected a Retry-After header (the coordinator was unavailable: try again)");
        }
    }

    /** The coordinator refuses the enlistment: the caller hears why, and nothing was done. */
    private static Answer refusedEnlist(Session s, int status) throws Exception {
        String id = s.newId();
        s.coordinator.refuseEnlist(id, status);
        var before = s.observe();
        Answer a = s.participant.work(s.options.work, id);
        if (s.coordinator.enlistments(id).isEmpty()) {
            throw new Violation(a.evidence() + " without enlisting first");
        }
        String why = "the coordinator answered the enlistment " + status;
        s.expectStatus(a, status, why);
        if (!a.isProblem() || !id.equals(a.field("transactionId"))) {
            throw new Violation(a.evidence() + "; expected application/problem+json with \"transactionId\":\"" + id + "\" (" + why + ")");
        }
        s.expectUnchanged(before, "after a request whose enlistment was refused");
        s.expectVote(s.call(id, "prepare"), "ABORT", "no work was recorded under " + id);
        return a;
    }
}
