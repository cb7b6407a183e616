package dev.verdict.protocol;

/** HTTP header names of the protocol. */
public final class Headers {

    /**
     * Carries the transaction id between services, so that each one it reaches can join; a
     * participant kit reads it on the way in and adds it to the calls made on the way out.
     */
    public static final String TRANSACTION = "Verdict-Transaction";

    private Headers() {}
}
