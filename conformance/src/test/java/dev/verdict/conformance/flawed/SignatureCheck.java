package dev.verdict.conformance.flawed;

import com.sun.net.httpserver.HttpExchange;
import dev.verdict.protocol.CallbackSignature;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Section 5a for {@link FlawedParticipant}, with the signature flaws planted where teams make them. */
final class SignatureCheck {

    private static final long WINDOW_SECONDS = 300;
    private static final Pattern BODY_ID = Pattern.compile("\"transactionId\"\\s*:\\s*\"([^\"]*)\"");

    private final Flaw flaw;
    private final byte[] secret;
    private final Set<String> nonces = new HashSet<>();

    SignatureCheck(Flaw flaw, String secret) {
        this.flaw = flaw;
        this.secret = CallbackSignature.decodeSecret(secret);
    }

    /** Why the callback is refused, or null when it may act. */
    synchronized String refusal(HttpExchange exchange, String id, String action, byte[] body) {
        String timestamp = exchange.getRequestHeaders().getFirst(CallbackSignature.TIMESTAMP);
        String nonce = exchange.getRequestHeaders().getFirst(CallbackSignature.NONCE);
        String signature = exchange.getRequestHeaders().getFirst(CallbackSignature.SIGNATURE);
        if (timestamp == null || nonce == null || signature == null) {
            return flaw == Flaw.ACCEPTS_UNSIGNED ? null : "not signed";
        }
        long at = Long.parseLong(timestamp);
        if (flaw != Flaw.NO_TIMESTAMP_WINDOW && Math.abs(System.currentTimeMillis() / 1000 - at) > WINDOW_SECONDS) {
            return "timestamp outside the window";
        }
        String path = exchange.getRequestURI().getRawPath();
        if (flaw == Flaw.PATH_FROM_BODY) {
            // Rebuilt from the body's id, as a handler that never sees the raw path might.
            Matcher m = BODY_ID.matcher(new String(body, StandardCharsets.UTF_8));
            path = m.find() ? "/verdict/transactions/" + m.group(1) + "/" + action : path;
        }
        if (flaw == Flaw.BODY_NOT_VERIFIED) {
            // Rebuilt from the path, as a framework that parsed the body before the check might.
            body = ("{\"transactionId\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8);
        }
        if (flaw != Flaw.ACCEPTS_ANY_SIGNATURE && !CallbackSignature.matches(secret, "POST", path, at, nonce, body, signature)) {
            return "signature does not match";
        }
        if (flaw != Flaw.NO_NONCE_MEMORY && !nonces.add(nonce)) {
            return "nonce seen before";
        }
        return null;
    }
}
