package dev.verdict.conformance;

/**
 * One obligation of docs/protocol.md, checked against the running participant. {@code body}
 * throws {@link Violation} with the evidence when the participant breaks it, {@link Skipped} when
 * the command line does not give what the check needs.
 */
public record Check(String name, String obligation, Body body) {

    @FunctionalInterface
    public interface Body {
        void run(Session session) throws Exception;
    }

    public enum Verdict { PASS, FAIL, SKIP }

    /** How one check went: PASS, FAIL with the evidence, or SKIP with the reason. */
    public record Result(String check, Verdict verdict, String detail) {

        public String line() {
            return String.format("%-4s  %-24s %s", verdict, check, detail);
        }
    }

    /** The participant broke the obligation; the message is the evidence (the request and its answer). */
    public static final class Violation extends Exception {
        public Violation(String evidence) {
            super(evidence, null, false, false);
        }
    }

    /** The check cannot run with what the command line gave; the message says what is missing. */
    public static final class Skipped extends Exception {
        public Skipped(String why) {
            super(why, null, false, false);
        }
    }
}
