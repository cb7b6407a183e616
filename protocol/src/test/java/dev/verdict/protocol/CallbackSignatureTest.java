package dev.verdict.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The test vector of docs/protocol.md ("Signed callbacks"), computed independently (Python's hmac
 * module), so that a participant in any language can check its implementation against the same figures.
 */
class CallbackSignatureTest {

    static final String SECRET = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"; // bytes 0x00..0x1f
    static final String TX = "01jxq3v4r5s6t7u8v9w0x1y2z3.0a1b2c3d4e5f6";
    static final String PATH = "/verdict/transactions/" + TX + "/prepare";
    static final byte[] BODY = ("{\"transactionId\":\"" + TX + "\"}").getBytes(StandardCharsets.UTF_8);
    static final long TIMESTAMP = 1795400000L;
    static final String NONCE = "q7Hn2xY0bW5vbmNlLTE2Yg";

    @Test
    void theDocumentedTestVector() {
        assertEquals("v1\nPOST\n" + PATH + "\n1795400000\n" + NONCE
                        + "\n67bed879d7bf1f5f0626017165b30907a6293d5333ca6e30abdebda7fb2f5300",
                CallbackSignature.canonical("POST", PATH, TIMESTAMP, NONCE, BODY));
        assertEquals("v1=FhCG785PjgiQJoKIaItMWXszEmBX3ScybBzaLMqUqdQ",
                CallbackSignature.sign(CallbackSignature.decodeSecret(SECRET), "POST", PATH, TIMESTAMP, NONCE, BODY));
    }

    @Test
    void anyChangeToWhatIsSignedBreaksTheMatch() {
        byte[] secret = CallbackSignature.decodeSecret(SECRET);
        String header = CallbackSignature.sign(secret, "POST", PATH, TIMESTAMP, NONCE, BODY);
        assertTrue(CallbackSignature.matches(secret, "POST", PATH, TIMESTAMP, NONCE, BODY, header));
        assertFalse(CallbackSignature.matches(secret, "PUT", PATH, TIMESTAMP, NONCE, BODY, header));
        assertFalse(CallbackSignature.matches(secret, "POST", PATH + "x", TIMESTAMP, NONCE, BODY, header));
        assertFalse(CallbackSignature.matches(secret, "POST", PATH, TIMESTAMP + 1, NONCE, BODY, header));
        assertFalse(CallbackSignature.matches(secret, "POST", PATH, TIMESTAMP, NONCE + "x", BODY, header));
        assertFalse(CallbackSignature.matches(secret, "POST", PATH, TIMESTAMP, NONCE, new byte[0], header));
        assertFalse(CallbackSignature.matches(CallbackSignature.decodeSecret(CallbackSignature.newSecret()), "POST",
                PATH, TIMESTAMP, NONCE, BODY, header));
        assertFalse(CallbackSignature.matches(secret, "POST", PATH, TIMESTAMP, NONCE, BODY, null));
    }

    @Test
    void secretsMustBeLongEnoughBase64url() {
        assertThrows(IllegalArgumentException.class, () -> CallbackSignature.decodeSecret("dG9vLXNob3J0"));
        assertThrows(IllegalArgumentException.class, () -> CallbackSignature.decodeSecret("not base64 at all!"));
        assertThrows(IllegalArgumentException.class, () -> CallbackSignature.decodeSecret(null));
        assertEquals(32, CallbackSignature.decodeSecret(CallbackSignature.newSecret()).length);
    }
}
