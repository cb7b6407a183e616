package dev.verdict.participant.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/** A database that cannot be reached is 503 with Retry-After; anything else stays the failure it is. */
class UnavailabilityTest {

    @Test
    void connectionFailuresAnywhereInTheChainAreUnavailability() {
        assertTrue(Unavailability.isDatabaseUnavailable(new SQLTransientConnectionException("pool exhausted")));
        assertTrue(Unavailability.isDatabaseUnavailable(new IllegalStateException("recording",
                new SQLException("Connection refused", "08001"))));
        assertTrue(Unavailability.isDatabaseUnavailable(new RuntimeException(new RuntimeException(
                new SQLException("terminating connection due to administrator command", "57P01")))));
        assertTrue(Unavailability.isDatabaseUnavailable(new SQLException("Sorry, acquisition timeout!")));
    }

    @Test
    void otherFailuresAreNot() {
        assertFalse(Unavailability.isDatabaseUnavailable(new SQLException("duplicate key value", "23505")));
        assertFalse(Unavailability.isDatabaseUnavailable(new IllegalArgumentException("bad input")));
        assertFalse(Unavailability.isDatabaseUnavailable(new SQLException("no state")));
    }

    @Test
    void theProblemSaysNothingWasDoneAndWhenToTryAgain() {
        KitProblem p = Unavailability.databaseUnavailable(new SQLTransientConnectionException()).about("t1");
        assertEquals(503, p.status());
        assertEquals("database-unavailable", p.slug());
        assertEquals(2, p.retryAfterSeconds());
        assertEquals("t1", p.transactionId());
    }
}
