package dev.verdict.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verdict.conformance.Check.Skipped;
import dev.verdict.conformance.Check.Violation;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * What a check works with: the fake coordinator, the participant, and helpers that turn an
 * unexpected answer into a {@link Violation} quoting it. Error answers to callbacks are kept for
 * the problem+json check, which runs last.
 */
public final class Session {

    private static final char[] ID_CHARS = "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    public final Options options;
    public final FakeCoordinator coordinator;
    public final Participant participant;
    private final List<Answer> errorAnswers = new ArrayList<>();

    Session(Options options, FakeCoordinator coordinator, Participant participant) {
        this.options = options;
        this.coordinator = coordinator;
        this.participant = participant;
    }

    /**
     * A fresh id in the coordinator's syntax (docs/protocol.md, section 2; 40 characters like the
     * coordinator's own), undecided at the fake coordinator until a check decides it.
     */
    public String newId() {
        StringBuilder id = new StringBuilder(40);
        for (int i = 0; i < 26; i++) {
            id.append(ID_CHARS[RANDOM.nextInt(ID_CHARS.length)]);
        }
        id.append(".conformance0");
        coordinator.undecided(id.toString());
        return id.toString();
    }

    /** After a restart: callbacks go where, and are signed as, the newest registration says. */
    public void reRegistered() {
        List<FakeCoordinator.Registration> all = coordinator.registrations();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).name().equals(options.participant)) {
                participant.registeredAs(all.get(i));
                return;
            }
        }
    }

    /** A correctly signed callback, sent once. */
    public Answer call(String txId, String action) throws InterruptedException {
        return send(participant.callback(txId, action));
    }

    public Answer send(Participant.Callback callback) throws InterruptedException {
        return kept(participant.send(callback));
    }

    /** The --work request under {@code txId}, which must succeed: the checks build on it. */
    public Answer work(String txId) throws Exception {
        return work(options.work, "--work", txId);
    }

    public Answer work(RequestTemplate template, String flag, String txId) throws Exception {
        Answer a = participant.work(template, txId);
        if (a.status() / 100 != 2) {
            throw new Violation(flag + ": " + a.evidence() + "; expected 2xx (the coordinator accepted the enlistment)");
        }
        return a;
    }

    /** The --observe document, or null without --observe. */
    public JsonNode observe() throws Exception {
        if (options.observe == null) {
            return null;
        }
        Answer a = participant.work(options.observe, null);
        if (a.status() != 200 || a.json() == null) {
            throw new Violation("--observe: " + a.evidence() + "; expected 200 with JSON");
        }
        return a.json();
    }

    /** Ends a transaction a check left undecided, so that nothing stays in doubt at the participant. */
    public void finish(String txId, String outcome) throws InterruptedException {
        coordinator.decide(txId, outcome);
        call(txId, outcome.equals("COMMITTED") ? "commit" : "rollback");
    }

    public void expectVote(Answer a, String vote, String why) throws Violation {
        if (a.status() != 200 || !vote.equals(a.field("vote"))) {
            throw new Violation(a.evidence() + "; expected 200 {\"vote\":\"" + vote + "\"} (" + why + ")");
        }
    }

    public void expectOutcome(Answer a, String outcome, String why) throws Violation {
        if (a.status() != 200 || !outcome.equals(a.field("outcome"))) {
            throw new Violation(a.evidence() + "; expected 200 {\"outcome\":\"" + outcome + "\"} (" + why + ")");
        }
    }

    public void expectStatus(Answer a, int status, String why) throws Violation {
        if (a.status() != status) {
            throw new Violation(a.evidence() + "; expected " + status + " (" + why + ")");
        }
    }

    /**
     * The same callback again, as a duplicate (obligation 3): it answers {@code outcome} again and
     * changes nothing that --observe shows.
     */
    public void expectRepeatChangesNothing(String txId, String action, String outcome) throws Exception {
        JsonNode before = observe();
        expectOutcome(call(txId, action), outcome, "the same " + action + " again answers the same outcome");
        expectUnchanged(before, "on a repeated " + action + " (applied twice?)");
    }

    /** The --observe document changed between {@code before} (taken before the work) and now: the commit was applied. */
    public void expectApplied(JsonNode before, String what) throws Exception {
        JsonNode now = observe();
        if (before != null && before.equals(now)) {
            throw new Violation("--observe unchanged after " + what + ": " + now + " before the work and after it"
                    + " (the commit answered COMMITTED but its work was not applied)");
        }
    }

    /** The --observe document did not change between {@code before} and now. */
    public void expectUnchanged(JsonNode before, String since) throws Exception {
        JsonNode now = observe();
        if (before != null && !before.equals(now)) {
            throw new Violation("--observe changed " + since + ": " + before + " became " + now);
        }
    }

    public void requireObserve(String why) throws Skipped {
        if (options.observe == null) {
            throw new Skipped("no --observe given, so " + why + " cannot be seen");
        }
    }

    public List<Answer> errorAnswers() {
        synchronized (errorAnswers) {
            return List.copyOf(errorAnswers);
        }
    }

    private Answer kept(Answer a) {
        if (a.status() >= 400) {
            synchronized (errorAnswers) {
                errorAnswers.add(a);
            }
        }
        return a;
    }
}
