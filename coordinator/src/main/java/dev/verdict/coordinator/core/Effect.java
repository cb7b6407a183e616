package dev.verdict.coordinator.core;

import java.util.List;

/** What the driver must do after it has made a {@link Step} durable, in order. */
public sealed interface Effect {

    record SendPrepare(List<String> participants) implements Effect {}

    record SendOnePhaseCommit(String participant) implements Effect {}

    record SendCommit(List<String> participants) implements Effect {}

    record SendRollback(List<String> participants) implements Effect {}

    /**
     * Some deliveries failed or were held; retry them later. {@code attempt} counts failures so far
     * (1 = first). {@code held}: every undelivered message was held back because deliveries to its
     * participant are paused, so no attempt was made and the next look waits the longest delay
     * (resuming retries at once).
     */
    record RetryLater(int attempt, boolean held) implements Effect {
        public RetryLater(int attempt) {
            this(attempt, false);
        }
    }
}
