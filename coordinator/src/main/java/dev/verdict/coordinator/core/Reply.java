package dev.verdict.coordinator.core;

import dev.verdict.protocol.Outcome;
import dev.verdict.protocol.Vote;

/** What came back from one call to a participant, already parsed and validated by the driver. */
public sealed interface Reply {

    /** An answer to prepare. */
    record Voted(Vote vote) implements Reply {}

    /** An answer to commit, rollback or one-phase commit: what the participant says it did. */
    record Finished(Outcome outcome) implements Reply {}

    /** No usable answer: unreachable, timed out, an error status or a body we could not read. */
    record Failed(String error) implements Reply {}

    /** Not sent: an operator paused deliveries to this participant. Counts no attempt. */
    record Held(String why) implements Reply {}
}
