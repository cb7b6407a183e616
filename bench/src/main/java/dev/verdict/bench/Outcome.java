package dev.verdict.bench;

/** How one benchmark transaction ended, as its client saw it. */
enum Outcome {
    COMMITTED,
    ROLLED_BACK,
    /** The coordinator answered 202: no decision within its outcome wait. Counted as an error. */
    UNDECIDED
}
