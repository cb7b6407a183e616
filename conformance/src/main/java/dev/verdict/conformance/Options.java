package dev.verdict.conformance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The command line (docs/participants.md lists every flag). Parsed by hand: a dozen flags do not
 * need a framework, and the jar stays small.
 */
public final class Options {

    /** How to restart the participant under test; the suite then waits for it to register again. */
    public interface Restart {
        void restart() throws Exception;
    }

    public String participant;
    public int port;
    public RequestTemplate work;
    public RequestTemplate readOnlyWork;
    public RequestTemplate abortWork;
    public RequestTemplate observe;
    public final List<String> workHeaders = new ArrayList<>();
    public Restart restart;
    public String restartCommand;
    public Duration registerWithin = Duration.ofSeconds(120);
    public Duration callTimeout = Duration.ofSeconds(5);
    public Duration askAfter = Duration.ofSeconds(10);
    public Duration askEvery = Duration.ofSeconds(5);
    public Duration askWithin = Duration.ofSeconds(30);
    public final Set<String> only = new LinkedHashSet<>();
    public boolean help;

    static final String USAGE = """
            Usage: verdict-conformance --participant NAME --work 'METHOD URL [BODY]' [options]

            Plays a Verdict coordinator on 127.0.0.1:PORT and checks a participant against docs/protocol.md.
            Start your participant with its coordinator URL set to http://127.0.0.1:PORT; it registers there.

              --participant NAME        the name the participant registers under (PUT /participants/NAME)
              --port PORT               where the fake coordinator listens (default 0: any free port, printed)
              --work 'M URL [BODY]'     a request that does work under a transaction; the suite adds
                                        Verdict-Transaction: <id> (and Content-Type: application/json with a body)
              --work-header 'H: V'      a header for --work, --read-only-work, --abort-work and --observe (repeatable)
              --read-only-work '...'    a request that joins without work (its prepare votes READ_ONLY)
              --abort-work '...'        a request whose work cannot be prepared (its prepare votes ABORT)
              --observe 'GET URL'       a read of the state work changes; compared before and after, to see
                                        that a duplicate is applied once (must not change on its own)
              --restart-command 'CMD'   kills and restarts the participant (sh -c CMD); enables durable-vote
              --register-within DUR     how long to wait for a (re-)registration (default 120s)
              --call-timeout DUR        the deadline of each callback, as the coordinator's (default 5s)
              --ask-after DUR           the participant's ask-after: asking sooner after a callback fails (default 10s)
              --ask-every DUR           the participant's ask-every (default 5s)
              --ask-within DUR          a PREPARED participant left alone must ask within this (default 30s)
              --only CHECK[,CHECK...]   run only these checks
              --help                    this text and the list of checks

            Durations: 500ms, 10s, 2m. Exit status: 0 all passed (or skipped), 1 a check failed, 2 bad usage
            or the participant never registered.
            """;

    static Options parse(String... args) {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h")) {
                o.help = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String value = args[++i];
            switch (flag) {
                case "--participant" -> o.participant = value;
                case "--port" -> o.port = Integer.parseInt(value);
                case "--work" -> o.work = RequestTemplate.parse(flag, value);
                case "--read-only-work" -> o.readOnlyWork = RequestTemplate.parse(flag, value);
                case "--abort-work" -> o.abortWork = RequestTemplate.parse(flag, value);
                case "--observe" -> o.observe = RequestTemplate.parse(flag, value);
                case "--work-header" -> o.workHeaders.add(header(value));
                case "--restart-command" -> o.restartCommand = value;
                case "--register-within" -> o.registerWithin = duration(flag, value);
                case "--call-timeout" -> o.callTimeout = duration(flag, value);
                case "--ask-after" -> o.askAfter = duration(flag, value);
                case "--ask-every" -> o.askEvery = duration(flag, value);
                case "--ask-within" -> o.askWithin = duration(flag, value);
                case "--only" -> o.only.addAll(List.of(value.split(",")));
                default -> throw new IllegalArgumentException("unknown flag " + flag);
            }
        }
        if (!o.help && (o.participant == null || o.work == null)) {
            throw new IllegalArgumentException("--participant and --work are required");
        }
        if (o.restartCommand != null) {
            String command = o.restartCommand;
            o.restart = () -> ShellRestart.run(command);
        }
        return o;
    }

    private static String header(String value) {
        int colon = value.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("--work-header takes 'Name: value', got '" + value + "'");
        }
        return value;
    }

    /** 500ms, 10s, 2m, or a bare number of seconds. */
    static Duration duration(String flag, String value) {
        String v = value.strip();
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
            }
            if (v.endsWith("m")) {
                return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)) * 60);
            }
            return Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " takes a duration like 500ms, 10s or 2m, got '" + value + "'");
        }
    }
}
