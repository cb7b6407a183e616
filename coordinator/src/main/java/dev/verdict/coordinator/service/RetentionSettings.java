package dev.verdict.coordinator.service;

import java.time.Duration;

/**
 * How long the log keeps what it no longer needs (docs/configuration.md, {@code verdict.retention.*}).
 *
 * @param finished finished transaction records, and history entries of transactions not unfinished on record
 * @param nodes coordinator node rows after the node died
 * @param participants participant tombstones after deregistration
 * @param interval time between two pruning runs
 * @param batch most rows one delete statement removes
 */
public record RetentionSettings(Duration finished, Duration nodes, Duration participants, Duration interval, int batch) {

    /** Most batches of one table in one run: a huge backlog is worked off over several runs, never in one long one. */
    static final int MAX_BATCHES_PER_RUN = 100;
}
