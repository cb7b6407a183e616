package dev.verdict.conformance;

import static org.awaitility.Awaitility.await;

import dev.verdict.protocol.CallbackSignature;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The packaged sample bank (participant-sample) as a real process with its embedded PostgreSQL,
 * started by a shell script so that the suite's {@code --restart-command} can kill it with
 * SIGKILL and start it again, as a user's script would. Its coordinator is the suite's.
 */
final class BankProcess implements AutoCloseable {

    static final String NAME = "bank-conformance";
    /** A client key of participant-sample/src/test/resources/test-api-keys: the bank's own API takes it. */
    static final String CUSTOMER_KEY = "vdk_test-customer";
    static final Duration ASK_AFTER = Duration.ofSeconds(2);
    static final Duration ASK_EVERY = Duration.ofSeconds(1);

    final int port;
    private final Path dir;
    private final Path script;
    private final Path pidFile;

    BankProcess(Path root, Path dir, int coordinatorPort) throws IOException {
        Path jar = Path.of(System.getProperty("conformance.bank-jar",
                root.resolve("participant-sample/target/quarkus-app/quarkus-run.jar").toString()));
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run the whole build (./mvnw verify), not this module alone");
        }
        this.port = freePort();
        this.dir = Files.createDirectories(dir);
        this.script = dir.resolve("start-bank.sh");
        this.pidFile = dir.resolve("bank.pid");
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> properties = List.of(
                "quarkus.http.port=" + port,
                "quarkus.http.host=127.0.0.1",
                "verdict.embedded-postgres.data-dir=" + dir.resolve("pgdata"),
                "verdict.participant.name=" + NAME,
                "verdict.participant.coordinator-key=vdk_conformance-bank",
                "verdict.participant.callback-secrets=" + CallbackSignature.newSecret(),
                "verdict.auth.api-key-file=" + root.resolve("participant-sample/src/test/resources/test-api-keys"),
                "quarkus.rest-client.verdict-coordinator.url=http://127.0.0.1:" + coordinatorPort,
                "verdict.participant.ask-after=" + ASK_AFTER.toSeconds() + "s",
                "verdict.participant.ask-every=" + ASK_EVERY.toSeconds() + "s");
        StringBuilder command = new StringBuilder("#!/bin/sh\n# Starts the bank in the background; its pid goes to bank.pid.\n");
        command.append("nohup '").append(java).append("' -Xmx256m");
        properties.forEach(p -> command.append(" '-D").append(p).append('\''));
        command.append(" -jar '").append(jar).append("' >> '").append(dir.resolve("bank.log")).append("' 2>&1 &\n");
        command.append("echo $! > '").append(pidFile).append("'\n");
        Files.writeString(script, command, StandardCharsets.UTF_8);
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** What the suite runs to crash and restart the bank. */
    String restartCommand() {
        return "kill -9 $(cat '" + pidFile + "') && sh '" + script + "'";
    }

    void start() throws Exception {
        Process p = new ProcessBuilder("sh", script.toString()).inheritIO().start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("could not start the bank with " + script);
        }
        // Live, not ready: the bank is ready only once registered, and the suite's coordinator is not up yet.
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (pid().flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false)) {
                return status("/q/health/live") == 200;
            }
            throw new IllegalStateException("the bank exited during start-up; see " + dir.resolve("bank.log"));
        });
    }

    private Optional<Long> pid() throws IOException {
        return Files.exists(pidFile) ? Optional.of(Long.parseLong(Files.readString(pidFile).strip())) : Optional.empty();
    }

    private int status(String path) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url() + path).toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(2000);
            return c.getResponseCode();
        } catch (IOException e) {
            return 0;
        }
    }

    /** SIGTERM, which also stops its PostgreSQL; then any PostgreSQL a SIGKILL left behind. */
    @Override
    public void close() throws Exception {
        Optional<ProcessHandle> bank = pid().flatMap(ProcessHandle::of);
        if (bank.isPresent()) {
            bank.get().destroy();
            try {
                bank.get().onExit().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                bank.get().destroyForcibly();
            }
        }
        Path postmaster = dir.resolve("pgdata/postmaster.pid");
        if (Files.exists(postmaster)) {
            long pid = Long.parseLong(Files.readAllLines(postmaster, StandardCharsets.UTF_8).get(0).strip());
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
