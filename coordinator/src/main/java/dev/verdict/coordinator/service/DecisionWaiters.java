package dev.verdict.coordinator.service;

import dev.verdict.coordinator.model.StoredTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Clients waiting for a transaction's decision. A waiter registers before its command is applied,
 * so a decision taken in between is never missed; callers also re-read on timeout, so even a
 * decision taken by another process is reported, only later.
 */
@ApplicationScoped
public class DecisionWaiters {

    private final ConcurrentHashMap<String, CompletableFuture<StoredTransaction>> waiting = new ConcurrentHashMap<>();

    CompletableFuture<StoredTransaction> register(String id) {
        return waiting.computeIfAbsent(id, k -> new CompletableFuture<>());
    }

    void cancel(String id, CompletableFuture<StoredTransaction> waiter) {
        waiting.remove(id, waiter);
    }

    void decided(StoredTransaction tx) {
        CompletableFuture<StoredTransaction> waiter = waiting.remove(tx.id());
        if (waiter != null) {
            waiter.complete(tx);
        }
    }
}
