package dev.verdict.cli;

import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options every command takes, wherever they stand on the line ({@code verdict --url X tx ls}
 * and {@code verdict tx ls --url X} alike). Each setter stores into the root command, so the
 * options have no defaults here: a default would overwrite, at a subcommand, what was given before
 * it. The defaults are applied when the client is made ({@link Verdict#client()}).
 */
final class GlobalOptions {

    enum Output { TABLE, JSON }

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--url", paramLabel = "URL", description = "Coordinator base URL (env VERDICT_URL; default http://localhost:8080).")
    void url(String url) {
        if (url != null) {
            root().url = url;
        }
    }

    @Option(names = "--key", paramLabel = "KEY", description = "API key or token (env VERDICT_KEY).")
    void key(String key) {
        if (key != null) {
            root().key = key.strip();
        }
    }

    @Option(names = "--key-file", paramLabel = "FILE", description = "File holding the key (default ~/.verdict/coordinator/admin.key).")
    void keyFile(Path file) {
        if (file != null) {
            root().keyFile = file;
        }
    }

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "table (default) or json (the API's JSON, unchanged).")
    void output(Output output) {
        if (output != null) {
            root().output = output;
        }
    }

    Verdict root() {
        return (Verdict) mixee.root().userObject();
    }
}
