package dev.verdict.participant.kit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.verdict.security.CallbackSignature;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every way a callback's signature can be wrong is refused; a rotated-out key still verifies while listed. */
class CallbackVerifierTest {

    private static final String NEW = CallbackSignature.newSecret();
    private static final String OLD = CallbackSignature.newSecret();
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private static final String PATH = "/verdict/transactions/01jd9x4k7q3w5e8r2t6y0u1i9o.0abc123def456/prepare";
    private static final byte[] BODY = "{\"transactionId\":\"01jd9x4k7q3w5e8r2t6y0u1i9o.0abc123def456\"}"
            .getBytes(StandardCharsets.UTF_8);

    private final CallbackVerifier verifier = new CallbackVerifier(List.of(NEW, OLD), Duration.ofMinutes(5),
            Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aCallbackSignedWithEitherListedSecretPassesOnce() {
        MultiMap signedNew = signed(NEW, PATH, NOW.getEpochSecond(), BODY);
        assertDoesNotThrow(() -> verifier.verify(request(PATH, signedNew), BODY));
        assertEquals(401, refusal(request(PATH, signedNew), BODY), "a replay");
        assertDoesNotThrow(() -> verifier.verify(request(PATH, signed(OLD, PATH, NOW.getEpochSecond(), BODY)), BODY),
                "the previous secret, during a rotation");
    }

    @Test
    void everyWrongSignatureIsRefused() {
        long now = NOW.getEpochSecond();
        assertEquals(401, refusal(request(PATH, MultiMap.caseInsensitiveMultiMap()), BODY), "unsigned");
        assertEquals(401, refusal(request(PATH, signed(NEW, PATH, now, BODY)), "{\"x\":1}".getBytes()), "tampered body");
        assertEquals(401, refusal(request(PATH.replace("prepare", "commit"), signed(NEW, PATH, now, BODY)), BODY),
                "tampered path");
        assertEquals(401, refusal(request(PATH, signed(NEW, PATH, now - 301, BODY)), BODY), "stale");
        assertEquals(401, refusal(request(PATH, signed(NEW, PATH, now + 301, BODY)), BODY), "from the future");
        assertEquals(401, refusal(request(PATH, signed(CallbackSignature.newSecret(), PATH, now, BODY)), BODY), "wrong key");
        MultiMap garbled = signed(NEW, PATH, now, BODY).set(CallbackSignature.TIMESTAMP, "soon");
        assertEquals(401, refusal(request(PATH, garbled), BODY), "malformed timestamp");
    }

    private int refusal(HttpServerRequest request, byte[] body) {
        return assertThrows(KitProblem.class, () -> verifier.verify(request, body)).status;
    }

    private static MultiMap signed(String secret, String path, long timestamp, byte[] body) {
        String nonce = CallbackSignature.newNonce();
        return MultiMap.caseInsensitiveMultiMap()
                .set(CallbackSignature.TIMESTAMP, Long.toString(timestamp))
                .set(CallbackSignature.NONCE, nonce)
                .set(CallbackSignature.SIGNATURE, CallbackSignature.sign(CallbackSignature.decodeSecret(secret), "POST",
                        path, timestamp, nonce, body));
    }

    /** Just what the verifier reads of a request: method, path and headers. */
    private static HttpServerRequest request(String path, MultiMap headers) {
        return (HttpServerRequest) Proxy.newProxyInstance(HttpServerRequest.class.getClassLoader(),
                new Class<?>[] {HttpServerRequest.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "method" -> HttpMethod.POST;
                    case "path" -> path;
                    case "getHeader" -> headers.get((String) args[0]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
