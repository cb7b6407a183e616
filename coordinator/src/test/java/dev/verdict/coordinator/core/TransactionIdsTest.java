package dev.verdict.coordinator.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TransactionIdsTest {

    private final Random random = new Random(7);

    @Test
    void anIdNamesItsOwnerAndItsTimeAndFitsTheProtocolsLimit() {
        String incarnation = TransactionIds.incarnation(random.nextLong());
        Instant at = Instant.parse("2026-11-22T10:15:30.123Z");
        String id = TransactionIds.mint(incarnation, at.toEpochMilli(), random.nextInt(1 << 16), random.nextLong());
        assertEquals(40, id.length());
        assertTrue(id.length() <= 64, "docs/protocol.md promises ids of at most 64 characters");
        assertEquals(Optional.of(incarnation), TransactionIds.owner(id));
        assertEquals(Optional.of(at), TransactionIds.mintedAt(id));
        assertTrue(id.matches("[0-9a-z.]+"), "safe in a URL path and a header without escaping: " + id);
    }

    @Test
    void idsSortByTimeAndDoNotCollide() {
        String incarnation = TransactionIds.incarnation(random.nextLong());
        Set<String> seen = new HashSet<>();
        String previous = "";
        for (long t = 1_000; t < 6_000; t++) {
            String id = TransactionIds.mint(incarnation, t, random.nextInt(1 << 16), random.nextLong());
            assertTrue(seen.add(id));
            assertTrue(id.compareTo(previous) > 0, "the log's primary key grows at its right edge");
            previous = id;
        }
        assertNotEquals(TransactionIds.incarnation(1), TransactionIds.incarnation(2));
    }

    @Test
    void idsOfAnotherShapeHaveNoOwner() {
        assertEquals(Optional.empty(), TransactionIds.owner("600579e1-f1f1-4d37-abd0-c865c8ec6c15")); // an older version's
        assertEquals(Optional.empty(), TransactionIds.owner("never-heard-of-it"));
        assertEquals(Optional.empty(), TransactionIds.owner(null));
        assertEquals(Optional.empty(), TransactionIds.owner("01jdx3m8q7z4c2k9w5t0n6r1ba.ILLEGALCHARS!"));
        assertThrows(IllegalArgumentException.class, () -> TransactionIds.mint("short", 1, 1, 1));
    }

    @Test
    void wellFormedIdsAreAtMost64CharactersOfDigitsLowerCaseLettersAndDots() {
        String id = TransactionIds.mint(TransactionIds.incarnation(7), 1_700_000_000_000L, 1, 2);
        assertTrue(TransactionIds.isWellFormed(id));
        assertTrue(TransactionIds.isWellFormed("nope"), "of no known shape, but it could be an id: not found, not refused");
        assertTrue(TransactionIds.isWellFormed("a".repeat(64)));
        for (String notAnId : new String[] {null, "", "a".repeat(65), id.toUpperCase(), id + "\u0000", id + ";x=1",
                "600579e1-f1f1-4d37-abd0-c865c8ec6c15", id + "/", id + " ", "\u00e9", "a\nb"}) {
            assertFalse(TransactionIds.isWellFormed(notAnId), String.valueOf(notAnId));
        }
    }
}
