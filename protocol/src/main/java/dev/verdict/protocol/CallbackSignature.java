package dev.verdict.protocol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The signature on every callback the coordinator makes (docs/protocol.md, "Signed callbacks"):
 * HMAC-SHA256, under the secret the participant registered, of
 * <pre>
 * v1 \n METHOD \n PATH \n TIMESTAMP \n NONCE \n hex(SHA-256(BODY))
 * </pre>
 * sent as {@code Verdict-Signature: v1=<base64url>} with {@code Verdict-Timestamp} (Unix seconds)
 * and {@code Verdict-Nonce}. The body enters by its hash, so the signed text is plain ASCII
 * whatever the body holds. The JDK's HMAC does the cryptography; this class only says what is signed.
 */
public final class CallbackSignature {

    public static final String TIMESTAMP = "Verdict-Timestamp";
    public static final String NONCE = "Verdict-Nonce";
    public static final String SIGNATURE = "Verdict-Signature";
    public static final String VERSION = "v1";
    /** Shortest secret accepted: 256 bits, as HMAC-SHA256 wants. */
    public static final int MIN_SECRET_BYTES = 32;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private CallbackSignature() {}

    /** The text that is signed. */
    public static String canonical(String method, String path, long timestamp, String nonce, byte[] body) {
        return VERSION + "\n" + method + "\n" + path + "\n" + timestamp + "\n" + nonce + "\n" + Hashes.sha256Hex(body);
    }

    /** The {@value #SIGNATURE} header's value. */
    public static String sign(byte[] secret, String method, String path, long timestamp, String nonce, byte[] body) {
        return VERSION + "=" + BASE64URL.encodeToString(Hashes.hmacSha256(secret, canonical(method, path, timestamp, nonce, body)));
    }

    /** Whether {@code header} is the signature of this request under {@code secret}, compared in constant time. */
    public static boolean matches(byte[] secret, String method, String path, long timestamp, String nonce, byte[] body,
                                  String header) {
        if (header == null) {
            return false;
        }
        byte[] expected = sign(secret, method, path, timestamp, nonce, body).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, header.strip().getBytes(StandardCharsets.US_ASCII));
    }

    /** A new random secret, as a participant would generate one: 32 bytes, base64url. */
    public static String newSecret() {
        byte[] bytes = new byte[MIN_SECRET_BYTES];
        RANDOM.nextBytes(bytes);
        return BASE64URL.encodeToString(bytes);
    }

    public static String newNonce() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return BASE64URL.encodeToString(bytes);
    }

    /**
     * The secret's bytes: base64url (padding optional) of at least {@value #MIN_SECRET_BYTES} bytes.
     *
     * @throws IllegalArgumentException saying what is wrong with it (never what it is)
     */
    public static byte[] decodeSecret(String secret) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("a callback secret is required");
        }
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(secret.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a callback secret must be base64url (A-Z, a-z, 0-9, '-', '_')");
        }
        if (bytes.length < MIN_SECRET_BYTES || secret.length() > 256) {
            throw new IllegalArgumentException("a callback secret must decode to at least " + MIN_SECRET_BYTES
                    + " random bytes (and be at most 256 characters)");
        }
        return bytes;
    }
}
