package dev.verdict.conformance;

import java.util.concurrent.TimeUnit;

/**
 * {@code --restart-command}: run with {@code sh -c}, its output mixed into ours. It must stop the
 * participant (a crash is the better test: {@code kill -9}) and start it again in the background,
 * then return; the suite waits for the new process to register.
 */
final class ShellRestart {

    private ShellRestart() {}

    static void run(String command) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", command).inheritIO().start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("--restart-command did not return within 120 s (start the participant in the background)");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("--restart-command exited with status " + p.exitValue());
        }
    }
}
