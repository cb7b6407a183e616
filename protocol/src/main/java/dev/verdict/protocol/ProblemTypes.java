package dev.verdict.protocol;

/**
 * The {@code type} of an RFC 9457 problem document: one URI per problem, the same whether the
 * coordinator or a participant kit answers. Clients branch on the slug, never on the message.
 */
public final class ProblemTypes {

    public static final String PREFIX = "https://verdict.dev/problems/";

    /**
     * A participant's answer (409) to a commit for a transaction it never prepared: a protocol error,
     * told apart from a participant that is down (docs/protocol.md, obligation 5).
     */
    public static final String NOT_PREPARED = "not-prepared";

    private ProblemTypes() {}

    public static String uri(String slug) {
        return PREFIX + slug;
    }

    /** The slug of a problem type URI, or null when it is not one of ours. */
    public static String slug(String type) {
        return type != null && type.startsWith(PREFIX) ? type.substring(PREFIX.length()) : null;
    }

    /** A title from a slug: "transaction-not-found" reads "Transaction not found". */
    public static String title(String slug) {
        String words = slug.replace('-', ' ');
        return words.isEmpty() ? words : Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }
}
