package dev.verdict.coordinator.service;

import dev.verdict.coordinator.model.StoredTransaction;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The transactions this node holds in memory: every undecided transaction it began and every
 * decided one it drives, bounded; and the most recently finished ones, so that a late duplicate
 * command or a read right after the end gets the answer it would have got a moment earlier.
 */
final class LiveTransactions {

    private final ConcurrentHashMap<String, LiveTransaction> live = new ConcurrentHashMap<>();
    private final int max;
    private final int maxPerCredential;
    /** Unfinished transactions held here, by the credential that began them. */
    private final ConcurrentHashMap<String, Integer> perCredential = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, StoredTransaction> finished = new ConcurrentHashMap<>();
    private final ArrayDeque<String> finishedOrder = new ArrayDeque<>();
    private final int maxFinished;

    LiveTransactions(int max, int maxPerCredential, int maxFinished) {
        this.max = max;
        this.maxPerCredential = maxPerCredential;
        this.maxFinished = maxFinished;
    }

    /** @throws ServiceException.AtCapacity when this node already holds {@code max} transactions */
    LiveTransaction add(StoredTransaction tx) {
        if (live.size() >= max) {
            throw new ServiceException.AtCapacity("This coordinator node holds " + live.size()
                    + " unfinished transactions, its limit (verdict.transaction.max-live). Retry shortly,"
                    + " or on another node.");
        }
        String by = tx.beganBy();
        if (by != null && perCredential.merge(by, 1, Integer::sum) > maxPerCredential) {
            perCredential.merge(by, -1, LiveTransactions::orNothing);
            throw new ServiceException.TooManyOpen(maxPerCredential);
        }
        LiveTransaction entry = new LiveTransaction(tx);
        if (live.putIfAbsent(tx.id(), entry) != null) {
            if (by != null) {
                perCredential.merge(by, -1, LiveTransactions::orNothing);
            }
            throw new IllegalStateException("transaction " + tx.id() + " is already live here");
        }
        return entry;
    }

    /**
     * Takes over a decided transaction; false if it is already live here, or finished here: its
     * completion, written lazily, may not be in the log yet, and driving it again from the log's
     * older copy would move it backwards (I7) and undo what settled it (an operator's resolution).
     */
    boolean adopt(LiveTransaction entry) {
        if (finished.containsKey(entry.id) || live.putIfAbsent(entry.id, entry) != null) {
            return false;
        }
        String by = entry.snapshot().beganBy();
        if (by != null) {
            perCredential.merge(by, 1, Integer::sum);
        }
        return true;
    }

    private void released(LiveTransaction tx) {
        String by = tx.snapshot().beganBy();
        if (by != null) {
            perCredential.merge(by, -1, LiveTransactions::orNothing);
        }
    }

    /** Sums counts, and forgets a credential whose count reaches zero (the map stays as small as the callers). */
    private static Integer orNothing(Integer count, Integer change) {
        int sum = count + change;
        return sum <= 0 ? null : sum;
    }

    LiveTransaction get(String id) {
        return live.get(id);
    }

    boolean holds(String id) {
        return live.containsKey(id) || finished.containsKey(id);
    }

    Optional<StoredTransaction> recentlyFinished(String id) {
        return Optional.ofNullable(finished.get(id));
    }

    void finish(LiveTransaction tx, StoredTransaction last) {
        if (live.remove(tx.id, tx)) {
            released(tx);
        }
        if (maxFinished == 0) {
            return;
        }
        synchronized (finishedOrder) {
            if (finished.put(tx.id, last) == null) {
                finishedOrder.addLast(tx.id);
                while (finishedOrder.size() > maxFinished) {
                    finished.remove(finishedOrder.removeFirst());
                }
            }
        }
    }

    /** Forgets a transaction without remembering its end (another node drives it now). */
    void drop(LiveTransaction tx) {
        if (live.remove(tx.id, tx)) {
            released(tx);
        }
    }

    /** Unfinished transactions held here with a branch for this participant. */
    long countWith(String participant) {
        return live.values().stream().map(LiveTransaction::snapshot)
                .filter(tx -> !tx.tx().state().isTerminal())
                .filter(tx -> tx.tx().branches().stream().anyMatch(b -> b.participant().equals(participant)))
                .count();
    }

    Collection<LiveTransaction> all() {
        return live.values();
    }

    int size() {
        return live.size();
    }
}
