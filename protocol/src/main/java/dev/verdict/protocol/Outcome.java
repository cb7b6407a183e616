package dev.verdict.protocol;

/** A decision (only COMMITTED or ROLLED_BACK), or what a participant reports it did. */
public enum Outcome {
    COMMITTED,
    ROLLED_BACK,
    /** Reported by a participant only: part of its work committed and part rolled back. */
    HEURISTIC_MIXED
}
