package dev.verdict.coordinator.core;

/**
 * What a step costs in the log. Presumed abort decides it: undecided work and rollbacks live in the
 * owner's memory only (a crash turns them into the rollback they would have become), and only what
 * recovery must find after a crash is written.
 */
public enum Durability {
    /** Memory only: begin, enlist, preparing, rollback decisions, retries, one-phase outcomes. */
    NONE,
    /**
     * A record written with the next group, with nobody waiting for it: the completion of a
     * recorded commit decision. Lost in a crash, it is re-derived: the decision is still unfinished,
     * so recovery re-sends phase 2, whose idempotent replies finish it again.
     */
    LAZY,
    /**
     * A record made durable before any effect runs or anyone hears of it (I3): the commit decision,
     * and a heuristic outcome of a rollback, which no other record would reveal after a crash.
     */
    FORCED
}
