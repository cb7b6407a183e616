package dev.verdict.coordinator.service;

import dev.verdict.coordinator.core.RetryPolicy;
import java.time.Duration;

/**
 * The driver's tunables, read once from configuration (docs/configuration.md) or set by a test.
 *
 * @param maxLive bound on the transactions one node holds in memory (undecided and unfinished)
 * @param maxOpenPerCredential bound on those begun by one credential, so that one caller cannot take them all
 * @param recentlyFinished how many finished transactions stay in memory to answer late duplicates
 * @param lazyDelay longest a completion record waits for a decision group to ride along with
 * @param maxGroup most records the log writer puts in one group
 */
public record DriverSettings(Duration defaultTimeout, Duration maxTimeout, Duration outcomeWait, RetryPolicy retry,
                             int maxLive, int maxOpenPerCredential, int recentlyFinished, Duration lazyDelay, int maxGroup,
                             Duration heartbeatInterval, Duration nodeTimeout, int batchSize) {}
