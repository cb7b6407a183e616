package dev.verdict.coordinator.port;

import dev.verdict.coordinator.model.HistoryEntry;
import java.util.List;

/**
 * Where history entries are kept. Written in batches behind the hot path; read by operators only.
 * A batch's ids must become visible in id order across every node sharing the store, so a reader
 * that has seen id N never later finds a smaller one (the event stream relies on it).
 */
public interface HistoryLog {

    /**
     * Stores the batch in one database transaction. Blocking.
     *
     * @return the entries as stored, with their ids: each transaction's in the order given, but
     *         entries of different transactions may be numbered in another order than given
     */
    List<HistoryEntry> append(List<HistoryEntry> batch);

    /** One transaction's entries, oldest first, at most {@code limit}. Blocking. */
    List<HistoryEntry> of(String transactionId, int limit);
}
