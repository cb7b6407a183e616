package dev.verdict.coordinator.service;

import dev.verdict.coordinator.port.StoreUnavailable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * A blocking database read for a request, run off the request's thread on the bounded pool of
 * {@code verdict.driver.threads}. A full pool refuses the request (503) rather than queue it
 * without end; a failed read says the log is unavailable.
 */
final class Reads {

    private Reads() {}

    static <T> CompletionStage<T> offRequestThread(Executor pool, Supplier<T> read) {
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return read.get();
                } catch (StoreUnavailable e) {
                    throw new ServiceException.LogUnavailable("The transaction log could not be read: " + e.getMessage());
                }
            }, pool);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new ServiceException.AtCapacity(
                    "This coordinator node has too many database reads waiting; retry shortly."));
        }
    }
}
