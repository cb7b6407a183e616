package dev.verdict.participant.kit;

import dev.verdict.protocol.CallbackSignature;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Checks the coordinator's signature on a callback before anything acts on it (docs/protocol.md,
 * "Signed callbacks"): signed with one of this participant's secrets, over this very request, with
 * a timestamp within the window, and a nonce not seen in that window. Anything else is refused with
 * 401 and changes nothing. During a key rotation both secrets are listed: the new one first (it is
 * the one registered), the old one until no coordinator node signs with it any more.
 */
@ApplicationScoped
public class CallbackVerifier {

    /**
     * Most nonces remembered at once. When that many are still inside their window, a new callback
     * is refused with 503 rather than a remembered nonce forgotten early (which would let its
     * callback be replayed); the coordinator retries it. At 5 minutes that is over 600 callbacks a
     * second, sustained, per participant replica.
     */
    static final int MAX_NONCES = 200_000;

    private final int maxNonces;

    private final List<byte[]> secrets;
    private final Duration window;
    private final Clock clock;
    /** Nonce to the time (epoch seconds) it may be forgotten, oldest first. */
    private final LinkedHashMap<String, Long> seen = new LinkedHashMap<>();

    @Inject
    CallbackVerifier(@ConfigProperty(name = "verdict.participant.callback-secrets") List<String> secrets,
                     @ConfigProperty(name = "verdict.participant.signature-window", defaultValue = "5m") Duration window) {
        this(secrets, window, Clock.systemUTC(), MAX_NONCES);
    }

    CallbackVerifier(List<String> secrets, Duration window, Clock clock, int maxNonces) {
        this.maxNonces = maxNonces;
        this.secrets = secrets.stream().map(CallbackVerifier::decode).toList();
        this.window = window;
        this.clock = clock;
    }

    /** @throws KitProblem 401 unless the request carries a valid, fresh, unreplayed signature */
    public void verify(HttpServerRequest request, byte[] body) {
        String method = request.method().name();
        String path = request.path();
        String timestamp = request.getHeader(CallbackSignature.TIMESTAMP);
        String nonce = request.getHeader(CallbackSignature.NONCE);
        String signature = request.getHeader(CallbackSignature.SIGNATURE);
        if (timestamp == null || nonce == null || signature == null) {
            throw refused("the callback is not signed (" + CallbackSignature.SIGNATURE + ", " + CallbackSignature.TIMESTAMP
                    + " and " + CallbackSignature.NONCE + " are required)");
        }
        if (!timestamp.matches("[0-9]{1,12}") || nonce.length() > 64) {
            throw refused("malformed signature headers");
        }
        long at = Long.parseLong(timestamp);
        long now = clock.instant().getEpochSecond();
        if (Math.abs(now - at) > window.toSeconds()) {
            throw refused("the signature's timestamp is outside the " + window.toSeconds() + " s window"
                    + " (a replay, or clocks that disagree)");
        }
        boolean valid = false;
        for (byte[] secret : secrets) {
            valid |= CallbackSignature.matches(secret, method, path, at, nonce, body, signature);
        }
        if (!valid) {
            throw refused("the signature does not match this request under this participant's secrets");
        }
        synchronized (seen) {
            forgetExpired(now);
            if (seen.containsKey(nonce)) {
                throw refused("this signature was used before (a replay)");
            }
            if (seen.size() >= maxNonces) {
                throw KitProblem.unavailable("callbacks-too-many", "Callback refused, nothing changed: more callbacks"
                        + " arrived within the signature window than this participant can tell from replays. Retry shortly.", 1);
            }
            seen.put(nonce, now + 2 * window.toSeconds());
        }
    }

    /** Nonces come in time order, near enough: the oldest are first, and are forgotten once expired. */
    private void forgetExpired(long now) {
        for (Iterator<Long> forget = seen.values().iterator(); forget.hasNext(); ) {
            if (forget.next() > now) {
                return;
            }
            forget.remove();
        }
    }

    private static KitProblem refused(String why) {
        return new KitProblem(401, "callback-not-verified", "Callback refused, nothing changed: " + why + ".");
    }

    private static byte[] decode(String secret) {
        try {
            return CallbackSignature.decodeSecret(secret);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("verdict.participant.callback-secrets: " + e.getMessage());
        }
    }
}
