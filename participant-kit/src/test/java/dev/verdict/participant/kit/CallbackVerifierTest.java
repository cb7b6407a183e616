package dev.verdict.participant.kit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verdict.protocol.CallbackSignature;
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
            Clock.fixed(NOW, ZoneOffset.UTC), 1_000);

    @Test
    void aCallbackSignedWithEitherListedSecretPassesOnce() {
        MultiMap signedNew = signed(NEW, PATH, NOW.getEpochSecond(), BODY);
        assertDoesNotThrow(() -> verifier.verify(request(PATH, signedNew), BODY));
        assertEquals(401, refusal(request(PATH, signedNew), BODY, "replay"), "a replay");
        assertDoesNotThrow(() -> verifier.verify(request(PATH, signed(OLD, PATH, NOW.getEpochSecond(), BODY)), BODY),
                "the previous secret, during a rotation");
    }

    @Test
    void everyWrongSignatureIsRefused() {
        long now = NOW.getEpochSecond();
        assertEquals(401, refusal(request(PATH, MultiMap.caseInsensitiveMultiMap()), BODY, "not signed"), "unsigned");
        assertEquals(401, refusal(request(PATH, signed(NEW, PATH, now, BODY)), "{\"x\":1}".getBytes(), "does not match"), "tampered body");
        assertEquals(401, refusal(request(PATH.replace("prepare", "commit"), signed(NEW, PATH, now, BODY)), BODY, "does not match"),
                "tampered path");
        assertEquals(401, refusal(request(PATH, signed(NEW, PATH, now - 301, BODY)), BODY, "window"), "stale");
        assertEquals(401, refusal(request(PATH, signed(NEW, PATH, now + 301, BODY)), BODY, "window"), "from the future");
        assertEquals(401, refusal(request(PATH, signed(CallbackSignature.newSecret(), PATH, now, BODY)), BODY, "does not match"), "wrong key");
        MultiMap garbled = signed(NEW, PATH, now, BODY).set(CallbackSignature.TIMESTAMP, "soon");
        assertEquals(401, refusal(request(PATH, garbled), BODY, "malformed"), "malformed timestamp");
    }

    /** Full of nonces still in their window, it refuses (503, retried) rather than forget one early. */
    @Test
    void aFullNonceMemoryRefusesInsteadOfForgetting() {
        Instant[] now = {NOW};
        Clock moving = new Clock() {
            public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
            public Clock withZone(java.time.ZoneId zone) { return this; }
            public Instant instant() { return now[0]; }
        };
        CallbackVerifier small = new CallbackVerifier(List.of(NEW), Duration.ofMinutes(5), moving, 2);
        small.verify(request(PATH, signed(NEW, PATH, NOW.getEpochSecond(), BODY)), BODY);
        MultiMap second = signed(NEW, PATH, NOW.getEpochSecond(), BODY);
        small.verify(request(PATH, second), BODY);
        MultiMap third = signed(NEW, PATH, NOW.getEpochSecond(), BODY);
        assertEquals(503, assertThrows(KitProblem.class, () -> small.verify(request(PATH, third), BODY)).status());
        now[0] = NOW.plusSeconds(601); // past twice the window: the first two are forgotten, and stale anyway
        MultiMap fresh = signed(NEW, PATH, now[0].getEpochSecond(), BODY);
        assertDoesNotThrow(() -> small.verify(request(PATH, fresh), BODY));
        assertEquals(401, assertThrows(KitProblem.class, () -> small.verify(request(PATH, second), BODY)).status(),
                "an old signature is stale, not forgotten into acceptance");
    }

    /** The status of the refusal, which must give {@code why} as its reason. */
    private int refusal(HttpServerRequest request, byte[] body, String why) {
        KitProblem refused = assertThrows(KitProblem.class, () -> verifier.verify(request, body));
        assertTrue(refused.getMessage().contains(why), refused.getMessage());
        return refused.status();
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
