package dev.verdict.coordinator.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Transactions with calls under way in this process. The poller leaves them alone, so a slow but
 * live round is not doubled by a retry; their due time still fires if this process dies.
 */
@ApplicationScoped
public class InFlight {

    private final ConcurrentHashMap<String, Integer> rounds = new ConcurrentHashMap<>();

    void started(String id) {
        rounds.merge(id, 1, Integer::sum);
    }

    void finished(String id) {
        rounds.computeIfPresent(id, (k, n) -> n == 1 ? null : n - 1);
    }

    public boolean contains(String id) {
        return rounds.containsKey(id);
    }
}
