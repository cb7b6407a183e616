package dev.verdict.conformance.checks;

import dev.verdict.conformance.Answer;
import dev.verdict.conformance.Check;
import dev.verdict.conformance.Participant.Callback;
import dev.verdict.conformance.Session;
import dev.verdict.protocol.CallbackSignature;
import java.util.List;

/**
 * Section 5a: a callback that is not signed by the coordinator, for this very request, recently
 * and once, is refused with 401 and changes nothing. Each forgery is a rollback of joined work:
 * had it acted, the prepare that follows would vote ABORT instead of PREPARED.
 */
public final class SignatureChecks {

    /** Far outside any sensible window (the kit's is 5 minutes). */
    private static final long STALE_SECONDS = 3600;

    private SignatureChecks() {}

    public static List<Check> all() {
        return List.of(
                forgery("signature-unsigned", "a callback without signature headers", (s, c) -> c.unsigned()),
                forgery("signature-wrong-key", "a callback signed with another secret",
                        (s, c) -> c.signedWith(CallbackSignature.decodeSecret(CallbackSignature.newSecret()))),
                forgery("signature-tampered-body", "a callback whose body was changed after signing",
                        (s, c) -> c.withBody("{\"transactionId\":\"" + c.txId() + "\",\"tampered\":true}")),
                forgery("signature-tampered-path", "a callback signed for another transaction's path",
                        (s, c) -> {
                            Callback signedForOther = s.participant.callback(s.newId(), c.action());
                            return c.signingPath(signedForOther.path()).withBody(signedForOther.body()).signingBody(signedForOther.body());
                        }),
                forgery("signature-stale", "a callback signed an hour ago, or an hour ahead",
                        (s, c) -> c.at(c.timestamp() - STALE_SECONDS), (s, c) -> c.at(c.timestamp() + STALE_SECONDS)),
                new Check("signature-replay", "a replayed callback, or a new one reusing a nonce, is refused with 401 and changes nothing (section 5a)",
                        SignatureChecks::replay));
    }

    private interface Forge {
        Callback apply(Session s, Callback genuine);
    }

    private static Check forgery(String name, String what, Forge... forgeries) {
        return new Check(name, what + " is refused with 401 and changes nothing (section 5a)", s -> {
            String id = s.newId();
            s.work(id);
            for (Forge forge : forgeries) {
                refused(s, forge.apply(s, s.participant.callback(id, "rollback")), what);
            }
            unchanged(s, id);
        });
    }

    static void replay(Session s) throws Exception {
        String other = s.newId();
        s.coordinator.decide(other, "ROLLED_BACK");
        Callback genuine = s.participant.callback(other, "rollback");
        s.expectOutcome(s.send(genuine), "ROLLED_BACK", "a genuine rollback of a never-seen id");
        refused(s, genuine, "the same callback again (same nonce, timestamp and signature)");
        String id = s.newId();
        s.work(id);
        refused(s, s.participant.callback(id, "rollback").withNonce(genuine.nonce()),
                "a correctly signed callback reusing the nonce of an earlier one");
        unchanged(s, id);
    }

    private static void refused(Session s, Callback forged, String what) throws Exception {
        Answer a = s.send(forged);
        s.expectStatus(a, 401, what + " must be refused");
    }

    /** The forged rollbacks did nothing: the work is still there to prepare. */
    private static void unchanged(Session s, String id) throws Exception {
        s.expectVote(s.call(id, "prepare"), "PREPARED", "the refused callbacks changed nothing");
        s.finish(id, "ROLLED_BACK");
    }
}
