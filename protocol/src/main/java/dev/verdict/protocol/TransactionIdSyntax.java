package dev.verdict.protocol;

/**
 * What a transaction id may look like on the wire (docs/protocol.md, section 2): 1 to 64
 * characters of {@code 0-9}, {@code a-z} and {@code .}. Ids are otherwise opaque: a participant
 * stores and compares them, and never parses them.
 */
public final class TransactionIdSyntax {

    public static final int MAX_LENGTH = 64;

    private TransactionIdSyntax() {}

    /**
     * Whether {@code id} could be a transaction id at all. One that cannot names no transaction and
     * is never looked up (some of what it may hold, a NUL say, a database refuses as text).
     */
    public static boolean isWellFormed(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c == '.')) {
                return false;
            }
        }
        return true;
    }
}
