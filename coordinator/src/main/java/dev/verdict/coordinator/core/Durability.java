package dev.verdict.coordinator.core;

/** How a step must be written before its effects run. */
public enum Durability {
    /** Nothing changed; write nothing. */
    NONE,
    /**
     * Write, but do not wait for the disk. Safe because of presumed abort: if the write is lost in a
     * crash the transaction is either unknown or undecided, and both mean rolled back.
     */
    LAZY,
    /** The commit decision: it must be on disk before any phase-2 call or reply to the client (I3). */
    FORCED
}
