package dev.verdict.coordinator.service;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verdict.coordinator.core.Transaction;
import dev.verdict.coordinator.core.TransactionState;
import dev.verdict.coordinator.model.StoredTransaction;
import dev.verdict.protocol.Outcome;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the table of live transactions takes back from the log, and what it refuses. */
class LiveTransactionsTest {

    private static StoredTransaction decided(String id) {
        Instant at = Instant.EPOCH;
        return new StoredTransaction(new Transaction(id, TransactionState.COMMITTING, Outcome.COMMITTED, null, List.of()),
                at, at, at, null, null, null);
    }

    @Test
    void aTransactionFinishedHereIsNotTakenBackFromTheLogsOlderCopy() {
        LiveTransactions table = new LiveTransactions(10, 10, 10);
        LiveTransaction first = new LiveTransaction(decided("t1"));
        assertTrue(table.adopt(first));
        assertFalse(table.adopt(new LiveTransaction(decided("t1"))), "already live here");
        table.finish(first, decided("t1"));
        // Its completion is written lazily: until then the log still shows it unfinished (I7).
        assertFalse(table.adopt(new LiveTransaction(decided("t1"))), "finished here");
        assertTrue(table.adopt(new LiveTransaction(decided("t2"))), "another one is taken over");
    }
}
