package dev.verdict.conformance.checks;

import dev.verdict.conformance.Answer;
import dev.verdict.conformance.Check;
import dev.verdict.conformance.Check.Skipped;
import dev.verdict.conformance.Check.Violation;
import dev.verdict.conformance.Session;
import java.time.Duration;

/**
 * Obligation 1: a PREPARED vote survives a crash. The participant votes, is restarted by the
 * command line's {@code --restart-command} (ideally {@code kill -9}), registers again, and must
 * still answer PREPARED and obey the commit: with {@code --observe}, the work shows as applied.
 */
public final class DurableVoteCheck {

    private DurableVoteCheck() {}

    public static Check check() {
        return new Check("durable-vote", "a PREPARED vote survives a restart: prepare again answers PREPARED, and the commit is applied (obligation 1)",
                DurableVoteCheck::run);
    }

    static void run(Session s) throws Exception {
        if (s.options.restart == null) {
            throw new Skipped("no --restart-command given");
        }
        var before = s.observe();
        String id = s.newId();
        s.work(id);
        s.expectVote(s.call(id, "prepare"), "PREPARED", "its work is held");
        int registered = s.coordinator.registrations().size();
        s.options.restart.restart();
        if (!s.coordinator.await(() -> s.coordinator.registrations().size() > registered, s.options.registerWithin)) {
            throw new Violation("did not register again within " + s.options.registerWithin.toSeconds()
                    + " s of --restart-command (--register-within)");
        }
        s.reRegistered();
        s.expectVote(deliver(s, id, "prepare"), "PREPARED", "it voted PREPARED before the restart");
        s.coordinator.decide(id, "COMMITTED");
        s.expectOutcome(deliver(s, id, "commit"), "COMMITTED", "the decision, after the restart");
        s.expectApplied(before, "work, prepare, a restart and the commit of " + id); // with --observe only
    }

    /**
     * As the coordinator does, a failed delivery (nothing listening yet: a participant may register
     * before it serves) is retried until it is answered or the registration deadline passes.
     */
    private static Answer deliver(Session s, String id, String action) throws Exception {
        long deadline = System.nanoTime() + s.options.registerWithin.toNanos();
        Duration pause = Duration.ofMillis(100);
        while (true) {
            Answer a = s.call(id, action);
            if (a.status() != 0 && a.status() != 503 || System.nanoTime() > deadline) {
                return a;
            }
            Thread.sleep(pause.toMillis()); // backoff between deliveries, as the coordinator's retries
            pause = pause.multipliedBy(2).compareTo(Duration.ofSeconds(2)) > 0 ? Duration.ofSeconds(2) : pause.multipliedBy(2);
        }
    }
}
