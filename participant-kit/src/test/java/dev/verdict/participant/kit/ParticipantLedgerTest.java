package dev.verdict.participant.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verdict.protocol.Outcome;
import dev.verdict.protocol.Vote;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The participant's rows against a real PostgreSQL: what each callback answers in each state, and when to ask. */
@QuarkusTest
class ParticipantLedgerTest {

    @Inject
    ParticipantLedger ledger;

    @Inject
    TestResources.Shelf shelf;

    @Inject
    TestResources.Ledger books;

    @Inject
    DataSource dataSource;

    @Test
    void workThatThrowsACheckedExceptionLeavesNothingJoined() {
        String tx = newId();
        assertThrows(IOException.class, () -> ledger.joinWork(shelf, tx, () -> {
            throw new IOException("the work failed after it began");
        }));
        assertEquals(Optional.empty(), ledger.stateOf(shelf, tx), "the joined row rolled back with the work");
        assertEquals(Vote.ABORT, ledger.prepare(shelf, tx), "so the prepare finds nothing and aborts");
    }

    @Test
    void aCommitForATransactionNeverPreparedHereIsRefusedEvenAfterItsTombstone() throws Exception {
        String unknown = newId();
        assertEquals(Outcome.ROLLED_BACK, ledger.rollback(shelf, unknown)); // rollback before anything: a tombstone
        KitProblem refused = assertThrows(KitProblem.class, () -> ledger.commit(shelf, unknown));
        assertEquals(409, refused.status());
        assertEquals("not-prepared", refused.slug());

        String aborted = join(shelf);
        shelf.willVote(aborted, Vote.ABORT);
        assertEquals(Vote.ABORT, ledger.prepare(shelf, aborted));
        assertEquals(409, assertThrows(KitProblem.class, () -> ledger.commit(shelf, aborted)).status());
        assertEquals(Outcome.ROLLED_BACK, ledger.rollback(shelf, aborted));
    }

    @Test
    void aCommitAfterARollbackOfPreparedWorkIsAnsweredAsTheHeuristicItIs() throws Exception {
        String tx = join(shelf);
        assertEquals(Vote.PREPARED, ledger.prepare(shelf, tx));
        assertEquals(Outcome.ROLLED_BACK, ledger.rollback(shelf, tx));
        assertEquals(Outcome.ROLLED_BACK, ledger.commit(shelf, tx), "reported, so the coordinator records a heuristic");
        assertEquals(Vote.ABORT, ledger.prepare(shelf, tx));
    }

    @Test
    void twoResourcesOfOneServiceKeepSeparateRowsForOneTransaction() throws Exception {
        String tx = join(shelf);
        ledger.joinWork(books, tx, () -> null);
        assertEquals(Vote.PREPARED, ledger.prepare(shelf, tx));
        assertEquals(Optional.of(LocalState.ACTIVE), ledger.stateOf(books, tx));
        assertEquals(List.of("prepare"), shelf.callsOf(tx));
        assertEquals(List.of(), books.callsOf(tx));
    }

    @Test
    void aSilentTransactionIsAskedAboutAfterAWhileThenLessAndLessOftenAndAnUnknownOneNoMore() throws Exception {
        String tx = join(shelf);
        assertTrue(!ledger.dueToAsk(shelf, Duration.ofHours(1), 500).contains(tx), "not silent long enough");
        assertTrue(ledger.dueToAsk(shelf, Duration.ZERO, 500).contains(tx), "silent for ask-after: due");

        ledger.askedWithoutAnswer(shelf, tx, Duration.ofSeconds(10), Duration.ofMinutes(5));
        assertTrue(!ledger.dueToAsk(shelf, Duration.ZERO, 500).contains(tx), "asked: not due again at once");
        assertEquals(10, secondsUntilNextAsk(tx), 1);
        ledger.askedWithoutAnswer(shelf, tx, Duration.ofSeconds(10), Duration.ofMinutes(5));
        assertEquals(20, secondsUntilNextAsk(tx), 1, "the pause doubles");
        for (int i = 0; i < 10; i++) {
            ledger.askedWithoutAnswer(shelf, tx, Duration.ofSeconds(10), Duration.ofMinutes(5));
        }
        assertEquals(300, secondsUntilNextAsk(tx), 1, "up to the longest pause");

        ledger.askedWithoutAnswer(shelf, tx, null, Duration.ofMinutes(5)); // UNKNOWN: parked
        assertTrue(!ledger.dueToAsk(shelf, Duration.ZERO, 500).contains(tx));
        assertEquals(Vote.PREPARED, ledger.prepare(shelf, tx), "a callback still acts on it");
        assertTrue(ledger.dueToAsk(shelf, Duration.ZERO, 500).contains(tx), "and restarts the questions");
    }

    private long secondsUntilNextAsk(String tx) throws Exception {
        try (var c = dataSource.getConnection(); var s = c.prepareStatement(
                "select extract(epoch from next_ask_at - now()) from verdict_participant_branch where tx_id = ?")) {
            s.setString(1, tx);
            try (var r = s.executeQuery()) {
                r.next();
                return Math.round(r.getDouble(1));
            }
        }
    }

    private String join(LocalResource resource) throws Exception {
        String tx = newId();
        ledger.joinWork(resource, tx, () -> null);
        return tx;
    }

    private static String newId() {
        return "l" + UUID.randomUUID().toString().replace("-", "");
    }
}
