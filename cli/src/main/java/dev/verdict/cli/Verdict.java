package dev.verdict.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code verdict}: the operator API (docs/operator-api.md) from a terminal or a script. Tables
 * for people, {@code -o json} (the API's own JSON) for scripts, and exit codes that tell a usage
 * error from a refusal from an unreachable coordinator ({@link ExitCode}).
 */
@Command(name = "verdict", mixinStandardHelpOptions = true, version = "verdict 0.1.0",
        scope = CommandLine.ScopeType.INHERIT, // --help on every command
        description = "Find, understand and resolve Verdict transactions. See docs/cli.md.",
        subcommands = {StatusCommand.class, TxCommand.class, ParticipantsCommand.class, AuditCommand.class,
                EventsCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Connection (any command): --url, else VERDICT_URL, else http://localhost:8080.",
                "Credential: --key, else --key-file, else VERDICT_KEY, else ~/.verdict/coordinator/admin.key if readable.",
                "", ExitCode.HELP})
public final class Verdict implements Runnable {

    static final String DEFAULT_URL = "http://localhost:8080";

    @Mixin
    GlobalOptions global;

    @Spec
    CommandSpec spec;

    // Set by GlobalOptions, from whichever command on the line they were given to.
    String url;
    String key;
    Path keyFile;
    GlobalOptions.Output output = GlobalOptions.Output.TABLE;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing command: status, tx, participants, audit or events");
    }

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8), args));
    }

    /** Runs one command line, printing to {@code out} and {@code err}; returns its exit code. */
    static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine line = new CommandLine(new Verdict());
        line.setOut(out).setErr(err).setCaseInsensitiveEnumValuesAllowed(true).setUsageHelpWidth(110);
        line.setParameterExceptionHandler((problem, argv) -> {
            CommandLine command = problem.getCommandLine();
            command.getErr().println("verdict: " + problem.getMessage());
            command.getErr().println("Try '" + command.getCommandSpec().qualifiedName() + " --help'.");
            return ExitCode.USAGE;
        });
        line.setExecutionExceptionHandler((failure, command, parsed) -> {
            if (failure instanceof ApiException api) {
                command.getErr().println("verdict: " + api.getMessage());
                return api.exitCode();
            }
            // A bug of ours, or an answer we cannot read: say what, without a stack trace.
            command.getErr().println("verdict: unexpected " + failure);
            return ExitCode.UNAVAILABLE;
        });
        return line.execute(args);
    }

    /** A client for the coordinator the options and environment name. */
    ApiClient client() {
        String base = url != null ? url : env("VERDICT_URL");
        return new ApiClient(base != null ? base : DEFAULT_URL, credential());
    }

    private String credential() {
        if (key != null) {
            return key;
        }
        if (keyFile != null) {
            return read(keyFile);
        }
        String fromEnv = env("VERDICT_KEY");
        if (fromEnv != null) {
            return fromEnv;
        }
        Path admin = Path.of(System.getProperty("user.home"), ".verdict", "coordinator", "admin.key");
        return Files.isReadable(admin) ? read(admin) : null;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new ApiException(ExitCode.USAGE, "cannot read the key file " + file + ": " + e.getMessage());
        }
    }

    private static String env(String name) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? null : value.strip();
    }
}
