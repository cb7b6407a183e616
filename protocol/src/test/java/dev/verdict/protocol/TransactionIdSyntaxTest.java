package dev.verdict.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TransactionIdSyntaxTest {

    @Test
    void idsAreOneToSixtyFourOfLowerCaseLettersDigitsAndDots() {
        assertTrue(TransactionIdSyntax.isWellFormed("01jd8x4k2m0000000000000000.0123456789abc"));
        assertTrue(TransactionIdSyntax.isWellFormed("a".repeat(64)));
        assertFalse(TransactionIdSyntax.isWellFormed("a".repeat(65)));
        assertFalse(TransactionIdSyntax.isWellFormed(""));
        assertFalse(TransactionIdSyntax.isWellFormed(null));
        for (String bad : new String[] {"A", "a b", "a/b", "a%2F", "a\u0000", "a-b", "a_b", "é"}) {
            assertFalse(TransactionIdSyntax.isWellFormed(bad), bad);
        }
    }

    @Test
    void problemTypesRoundTripTheirSlug() {
        String type = ProblemTypes.uri("transaction-not-found");
        assertEquals("https://verdict.dev/problems/transaction-not-found", type);
        assertEquals("transaction-not-found", ProblemTypes.slug(type));
        assertNull(ProblemTypes.slug("about:blank"));
        assertEquals("Transaction not found", ProblemTypes.title("transaction-not-found"));
    }
}
