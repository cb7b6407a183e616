package dev.verdict.cli;

/**
 * What {@code verdict} exits with, so that scripts can tell "you asked wrong" from "the coordinator
 * said no" from "the coordinator is not there" without reading the text.
 */
public final class ExitCode {

    private ExitCode() {}

    /** Done. */
    public static final int OK = 0;
    /** The command line was wrong (unknown option, missing --reason, bad value): nothing was sent. */
    public static final int USAGE = 1;
    /** The coordinator refused (4xx but 404): a bad credential, a role missing, an action that does not fit. */
    public static final int REFUSED = 2;
    /** The coordinator does not know the transaction, participant or path (404). */
    public static final int NOT_FOUND = 3;
    /** The coordinator could not be reached, failed (5xx) or did not answer in time. */
    public static final int UNAVAILABLE = 4;

    /** The text {@code verdict --help} ends with (docs/cli.md repeats it). */
    public static final String HELP = """
            Exit codes:
              0  done
              1  usage error (nothing was sent)
              2  the coordinator refused (4xx): its problem title and detail are printed
              3  not found (404)
              4  unreachable, timed out, or the coordinator failed (5xx)""";
}
