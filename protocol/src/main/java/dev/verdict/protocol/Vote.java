package dev.verdict.protocol;

/** A participant's answer to prepare (docs/protocol.md, section 5). */
public enum Vote {
    /** Work is durably held and will be committed or rolled back as told. */
    PREPARED,
    /** Nothing to commit: the branch leaves the transaction and hears nothing more. */
    READ_ONLY,
    /** The participant has rolled its work back: the transaction must roll back. */
    ABORT
}
