package dev.verdict.coordinator.core;

import dev.verdict.protocol.TransactionIdSyntax;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Transaction ids: {@code <time><random>.<incarnation>}, 40 characters of Crockford base32. The
 * first 26 are a ULID (48 bits of milliseconds, 80 random bits: unguessable, and ordered by time,
 * so the log's primary key grows at its right edge); the last 13 name the coordinator process
 * start (incarnation) that owns the transaction, so any replica can route a request to it without
 * asking the database. Clients treat ids as opaque; docs/protocol.md says so.
 */
public final class TransactionIds {

    /** Lower-case Crockford base32: no I, L, O or U, so ids survive being read aloud. */
    static final String ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
    public static final int INCARNATION_LENGTH = 13;
    /** The protocol's promise (docs/protocol.md, section 2): at most this many characters of {@code 0-9 a-z .}. */
    public static final int MAX_LENGTH = TransactionIdSyntax.MAX_LENGTH;
    private static final int TIME_CHARS = 10;
    private static final int RANDOM_CHARS = 16;
    private static final Pattern SHAPE = Pattern.compile("[0-9a-hjkmnp-tv-z]{26}\\.[0-9a-hjkmnp-tv-z]{13}");

    private TransactionIds() {}

    /** A new id minted at {@code epochMillis}; {@code high16} and {@code low64} are the 80 random bits. */
    public static String mint(String incarnation, long epochMillis, int high16, long low64) {
        if (!isIncarnation(incarnation)) {
            throw new IllegalArgumentException("not an incarnation: " + incarnation);
        }
        StringBuilder id = new StringBuilder(TIME_CHARS + RANDOM_CHARS + 1 + INCARNATION_LENGTH);
        appendBase32(id, epochMillis & 0xFFFF_FFFF_FFFFL, TIME_CHARS);        // 48 bits in 50
        appendBase32(id, ((high16 & 0xFFFFL) << 4) | (low64 >>> 60), 4);      // 20 random bits
        appendBase32(id, low64 & 0x0FFF_FFFF_FFFF_FFFFL, RANDOM_CHARS - 4);   // the other 60
        return id.append('.').append(incarnation).toString();
    }

    /** An incarnation name from 64 random bits. */
    public static String incarnation(long random) {
        StringBuilder s = new StringBuilder(INCARNATION_LENGTH);
        appendBase32(s, random >>> 60, 1);                         // 4 bits
        appendBase32(s, random & 0x0FFF_FFFF_FFFF_FFFFL, 12);      // 60 bits
        return s.toString();
    }

    /** Whether {@code id} could be a transaction id at all, of this version or any other the protocol allows. */
    public static boolean isWellFormed(String id) {
        return TransactionIdSyntax.isWellFormed(id);
    }

    public static boolean isIncarnation(String s) {
        return s != null && s.length() == INCARNATION_LENGTH && s.chars().allMatch(c -> ALPHABET.indexOf(c) >= 0);
    }

    /** The incarnation that owns {@code id}; empty for ids of another shape (older versions, made-up ones). */
    public static Optional<String> owner(String id) {
        if (id == null || !SHAPE.matcher(id).matches()) {
            return Optional.empty();
        }
        return Optional.of(id.substring(id.length() - INCARNATION_LENGTH));
    }

    /** When {@code id} was minted, read from its first ten characters; empty for ids of another shape. */
    public static Optional<Instant> mintedAt(String id) {
        if (owner(id).isEmpty()) {
            return Optional.empty();
        }
        long millis = 0;
        for (int i = 0; i < TIME_CHARS; i++) {
            millis = (millis << 5) | ALPHABET.indexOf(id.charAt(i));
        }
        return Optional.of(Instant.ofEpochMilli(millis));
    }

    /**
     * The first ten characters of every id minted at {@code at}: an id is minted at or after
     * {@code at} exactly when it sorts at or above this string, which lets a time bound become a
     * range of the log's primary key.
     */
    public static String timePrefix(Instant at) {
        StringBuilder s = new StringBuilder(TIME_CHARS);
        appendBase32(s, Math.max(0, at.toEpochMilli()) & 0xFFFF_FFFF_FFFFL, TIME_CHARS);
        return s.toString();
    }

    private static void appendBase32(StringBuilder out, long value, int chars) {
        for (int i = chars - 1; i >= 0; i--) {
            out.append(ALPHABET.charAt((int) ((value >>> (5 * i)) & 31)));
        }
    }
}
