package dev.verdict.cli;

import java.io.Console;
import java.util.Set;

/**
 * States a person can tell apart at a glance: on a terminal, what needs attention is colored
 * (yellow waiting, red heuristic or failing, green done). Never in a pipe or a file, nor with
 * NO_COLOR set (no-color.org), so scripts and tests read plain text.
 */
final class Style {

    private Style() {}

    private static final boolean ENABLED = isTerminal() && System.getenv("NO_COLOR") == null
            && !"dumb".equals(System.getenv("TERM"));
    private static final Set<String> WAITING = Set.of("COMMITTING", "ROLLING_BACK", "PREPARING", "PREPARED", "ENLISTED", "ACTIVE");
    private static final Set<String> BAD = Set.of("HEURISTIC", "HEURISTIC_COMMIT", "HEURISTIC_ROLLBACK", "HEURISTIC_MIXED");
    private static final Set<String> DONE = Set.of("COMMITTED", "ROLLED_BACK", "READ_ONLY", "RESOLVED");

    /**
     * Whether standard output is a terminal. Up to JDK 21 a console exists only then; from JDK 22
     * one exists for pipes too, and {@code Console.isTerminal()} (absent before 22) tells.
     */
    private static boolean isTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException before22) {
            return true;
        } catch (ReflectiveOperationException | ClassCastException e) {
            return false;
        }
    }

    /** A transaction or branch state, colored by what it asks of the reader. */
    static String state(String state) {
        if (BAD.contains(state)) {
            return color("31;1", state);
        }
        if (WAITING.contains(state)) {
            return color("33", state);
        }
        return DONE.contains(state) ? color("32", state) : state;
    }

    /** Something that went wrong (a last error, a pause). */
    static String alarm(String text) {
        return Text.NONE.equals(text) ? text : color("31", text);
    }

    static String bold(String text) {
        return color("1", text);
    }

    /** Length as seen on screen: escape sequences take no room. */
    static int visibleLength(String text) {
        return text.replaceAll("\u001B\\[[0-9;]*m", "").length();
    }

    private static String color(String code, String text) {
        return ENABLED ? "\u001B[" + code + "m" + text + "\u001B[0m" : text;
    }
}
