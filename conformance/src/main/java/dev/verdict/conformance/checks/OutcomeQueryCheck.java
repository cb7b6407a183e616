package dev.verdict.conformance.checks;

import dev.verdict.conformance.Check;
import dev.verdict.conformance.Check.Violation;
import dev.verdict.conformance.FakeCoordinator.Query;
import dev.verdict.conformance.Session;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Obligation 6: a PREPARED participant that hears nothing asks the coordinator, not before its
 * {@code ask-after} and not later than {@code --ask-within}; keeps asking while the answer is
 * PENDING; and once told COMMITTED, applies it and stops asking; told ROLLED_BACK (another
 * transaction), rolls back and stops asking.
 */
public final class OutcomeQueryCheck {

    private OutcomeQueryCheck() {}

    public static Check check() {
        return new Check("outcome-query", "a PREPARED participant left alone asks GET /outcome after ask-after, again on PENDING,"
                + " stops once told COMMITTED and commits, and rolls back once told ROLLED_BACK (obligation 6)", OutcomeQueryCheck::run);
    }

    static void run(Session s) throws Exception {
        String id = s.newId();
        s.work(id);
        Instant sent = Instant.now();
        s.expectVote(s.call(id, "prepare"), "PREPARED", "its work is held");
        Duration within = s.options.askWithin;

        Query first = awaitQuery(s, id, 1, within, "after voting PREPARED and hearing nothing for " + seconds(within));
        Duration waited = Duration.between(sent, first.at());
        Duration earliest = s.options.askAfter.minus(tolerance(s.options.askAfter));
        if (waited.compareTo(earliest) < 0) {
            throw new Violation("asked GET /transactions/" + id + "/outcome " + millis(waited) + " after its prepare"
                    + " (the last callback it heard); its ask-after is " + millis(s.options.askAfter) + " (--ask-after)");
        }
        Query second = awaitQuery(s, id, 2, within, "again after the answer PENDING");
        Duration gap = Duration.between(first.at(), second.at());
        // Half: a scheduler's tick may run late and the next on time; twice as often as declared is a polling loop.
        if (gap.compareTo(s.options.askEvery.dividedBy(2)) < 0) {
            throw new Violation("asked again " + millis(gap) + " after the answer PENDING; its ask-every is "
                    + millis(s.options.askEvery) + " (--ask-every)");
        }
        s.coordinator.decide(id, "COMMITTED");
        stopsAsking(s, id, awaitAnswered(s, id, "COMMITTED", within), "committed");
        s.expectOutcome(s.call(id, "commit"), "COMMITTED", "the coordinator's commit, arriving after it committed by asking");
        rolledBackByAsking(s);
    }

    /**
     * The other answer: a PREPARED participant told ROLLED_BACK rolls back (with --observe: its work
     * is undone) and stops asking. The rollback that follows finds it already rolled back.
     */
    private static void rolledBackByAsking(Session s) throws Exception {
        var before = s.observe();
        String id = s.newId();
        s.work(id);
        s.expectVote(s.call(id, "prepare"), "PREPARED", "its work is held");
        s.coordinator.decide(id, "ROLLED_BACK");
        stopsAsking(s, id, awaitAnswered(s, id, "ROLLED_BACK", s.options.askWithin), "rolled back");
        s.expectUnchanged(before, "after the answer ROLLED_BACK (work still held, or applied?)");
        s.expectOutcome(s.call(id, "rollback"), "ROLLED_BACK", "the coordinator's rollback, arriving after it rolled back by asking");
    }

    /** It doubles at most (obligation 6): one that ignored the answer asks again within two intervals. */
    private static void stopsAsking(Session s, String id, Query told, String acted) throws Exception {
        Duration quiet = s.options.askEvery.multipliedBy(2).plusSeconds(1);
        if (s.coordinator.await(() -> after(s.coordinator.queries(id), told.at()), quiet)) {
            throw new Violation("asked about " + id + " again after the answer " + told.answer() + " (at " + told.at() + "): "
                    + s.coordinator.queries(id).size() + " queries; it should have " + acted + " and stopped");
        }
    }

    private static Query awaitQuery(Session s, String id, int count, Duration within, String when) throws Exception {
        if (!s.coordinator.await(() -> s.coordinator.queries(id).size() >= count, within)) {
            throw new Violation("never asked GET /transactions/" + id + "/outcome " + when + " (--ask-within "
                    + seconds(within) + "; " + s.coordinator.queries(id).size() + " queries)");
        }
        return s.coordinator.queries(id).get(count - 1);
    }

    private static Query awaitAnswered(Session s, String id, String outcome, Duration within) throws Exception {
        if (!s.coordinator.await(() -> s.coordinator.queries(id).stream().anyMatch(q -> q.answer().equals(outcome)), within)) {
            throw new Violation("never heard the answer " + outcome + " about " + id + " (" + s.coordinator.queries(id).size()
                    + " queries, the last answered " + lastAnswer(s, id) + ")");
        }
        return s.coordinator.queries(id).stream().filter(q -> q.answer().equals(outcome)).findFirst().orElseThrow();
    }

    private static String lastAnswer(Session s, String id) {
        List<Query> queries = s.coordinator.queries(id);
        return queries.isEmpty() ? "-" : queries.get(queries.size() - 1).answer();
    }

    private static boolean after(List<Query> queries, Instant at) {
        return queries.stream().anyMatch(q -> q.at().isAfter(at));
    }

    /** Timers fire a little early or late; a quarter of the interval, at most a second, is not "too early". */
    private static Duration tolerance(Duration interval) {
        Duration quarter = interval.dividedBy(4);
        return quarter.compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1) : quarter;
    }

    private static String millis(Duration d) {
        return d.toMillis() + " ms";
    }

    private static String seconds(Duration d) {
        return d.toMillis() / 1000.0 + " s";
    }
}
