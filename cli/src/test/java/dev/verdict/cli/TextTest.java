package dev.verdict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TextTest {

    @Test
    void agesReadInAtMostTwoUnits() {
        assertEquals("0ms", Text.age(Duration.ZERO));
        assertEquals("850ms", Text.age(Duration.ofMillis(850)));
        assertEquals("42s", Text.age(Duration.ofMillis(42_999)));
        assertEquals("3m12s", Text.age(Duration.ofSeconds(192)));
        assertEquals("1m05s", Text.age(Duration.ofSeconds(65)));
        assertEquals("2h05m", Text.age(Duration.ofMinutes(125).plusSeconds(59)));
        assertEquals("3d04h", Text.age(Duration.ofHours(76)));
        assertEquals("-3s", Text.age(Duration.ofSeconds(-3)));
    }

    @Test
    void truncationKeepsOneLineAndMarksTheCut() {
        assertEquals("Connection refused", Text.truncate("Connection\n  refused", 40));
        assertEquals("abcd…", Text.truncate("abcdefgh", 5));
        assertEquals("", Text.truncate(null, 5));
    }

    @Test
    void tablesAlignEveryColumnAndLeaveNoTrailingBlanks() {
        StringWriter text = new StringWriter();
        new Table("ID", "STATE", "LAST ERROR").row("t1", "COMMITTING", "Connection refused").row("t-long", "COMMITTED", null)
                .print(new PrintWriter(text));
        assertEquals("""
                ID      STATE       LAST ERROR
                t1      COMMITTING  Connection refused
                t-long  COMMITTED   -
                """, text.toString().replace(System.lineSeparator(), "\n"));
    }
}
