package dev.verdict.coordinator.core;

import java.util.List;

/** What the driver must do after it has made a {@link Step} durable, in order. */
public sealed interface Effect {

    record SendPrepare(List<String> participants) implements Effect {}

    record SendOnePhaseCommit(String participant) implements Effect {}

    record SendCommit(List<String> participants) implements Effect {}

    record SendRollback(List<String> participants) implements Effect {}

    /** Some deliveries failed; retry them later. {@code attempt} counts failures so far (1 = first). */
    record RetryLater(int attempt) implements Effect {}
}
