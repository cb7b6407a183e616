package dev.verdict.e2e;

import static org.awaitility.Awaitility.await;

import dev.verdict.embedded.EmbeddedDatabase;
import dev.verdict.security.ApiKeys;
import io.restassured.RestAssured;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One packaged Verdict service (coordinator or bank) run as a real child process, with its own
 * embedded PostgreSQL in a directory that survives restarts. Output goes to a log file per run.
 */
final class Service {

    /** Passed through the environment, not the command line, where any local user could read it. */
    private static final String DB_PASSWORD = "quarkus.datasource.password";

    static Path root() {
        return Path.of(System.getProperty("verdict.root", ".."));
    }

    static Path coordinatorJar() {
        return root().resolve("coordinator/target/quarkus-app/quarkus-run.jar");
    }

    static Path bankJar() {
        return root().resolve("participant-sample/target/quarkus-app/quarkus-run.jar");
    }

    /**
     * Settings for a coordinator whose PostgreSQL the test runs (behind a proxy on {@code dbPort}),
     * with short retries so that failure paths finish quickly. The call timeout leaves a slow
     * machine room: a prepare that takes seconds under heavy load (seen: over 5 s at a load
     * average of 20 on 2 cores) is not a fault the tests mean.
     */
    static Map<String, String> coordinatorSettings(int dbPort, EmbeddedDatabase database, String nodeName) {
        Map<String, String> p = new java.util.HashMap<>();
        p.put("verdict.auth.api-key-file", keyFile().toString());
        p.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:" + dbPort + "/postgres");
        p.put("quarkus.datasource.username", database.username());
        p.put(DB_PASSWORD, database.password());
        p.put("quarkus.datasource.jdbc.acquisition-timeout", "2s");
        p.put("verdict.recovery.node-name", nodeName);
        p.put("verdict.participant.call-timeout", "10s");
        p.put("verdict.retry.initial", "100ms");
        // Far below the commits that wait seconds for a slow prepare (cases 5, 7, 8): they must
        // still hear their outcome, since only an unfinished body is cut off.
        p.put("verdict.http.body-timeout", "2s");
        return p;
    }

    // --- credentials: fixed keys of the tests' own, listed (as hashes) in one key file ----------------

    /** The key the tests themselves call with: an admin, as an operator investigating would. */
    static final String ADMIN = "Bearer vdk_e2e-admin";

    /** An operator's key (role operator only): what a person at the CLI or the console holds. */
    static final String OPERATOR_KEY = "vdk_e2e-operator";

    /** Participant {@code name}'s key at the coordinator (participant and client, as a bank needs). */
    static String keyOf(String participant) {
        return "vdk_e2e-" + participant;
    }

    /** Participant {@code name}'s callback secret: fixed, so a test can sign (or forge) its callbacks. */
    static String callbackSecretOf(String participant) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                ApiKeys.hash("callbacks of " + participant).getBytes(StandardCharsets.US_ASCII));
    }

    /** The coordinators' key file: the admin and every bank name the tests use. */
    static synchronized Path keyFile() {
        Path file = root().resolve("e2e/target/e2e-api-keys");
        StringBuilder lines = new StringBuilder("admin " + ApiKeys.hash("vdk_e2e-admin") + " admin\n");
        lines.append("operator ").append(ApiKeys.hash(OPERATOR_KEY)).append(" operator\n");
        List<String> banks = new ArrayList<>(List.of("bank-a", "bank-b"));
        for (int i = 1; i <= 9; i++) {
            banks.add("bank-" + i);
        }
        for (String bank : banks) {
            lines.append(bank).append(' ').append(ApiKeys.hash(keyOf(bank))).append(" participant,client ").append(bank).append('\n');
        }
        try {
            Files.writeString(file, lines);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return file;
    }

    /** Every RestAssured request of the tests that names no credential of its own goes as {@link #ADMIN}. */
    static void callAsAdmin() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails(); // a failed check shows the answer's body
        RestAssured.replaceFiltersWith((request, response, context) -> {
            if (!request.getHeaders().hasHeaderWithName("Authorization")) {
                request.header("Authorization", ADMIN);
            }
            return context.next(request, response);
        });
    }

    /** A fresh directory for one test class's processes and logs. */
    static Path workDir(String name) throws IOException {
        return Files.createDirectories(root().resolve("e2e/target/" + name + "-" + System.currentTimeMillis()));
    }


    final String name;
    final int port;
    final Path dataDir;
    private final Path jar;
    private final Path logDir;
    private final Map<String, String> properties;
    private Process process;
    private int runs;

    Service(String name, Path jar, Path workDir, Map<String, String> properties) throws IOException {
        this.name = name;
        this.jar = jar;
        this.port = freePort();
        this.dataDir = workDir.resolve(name + "-pgdata");
        this.logDir = workDir;
        this.properties = new java.util.HashMap<>(properties);
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run the whole build (./mvnw verify), not this module alone");
        }
    }

    Map<String, String> properties() {
        return properties;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    Service start(String... extraProperties) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-Xmx256m");
        cmd.add("-Dquarkus.http.port=" + port);
        cmd.add("-Dquarkus.http.host=127.0.0.1");
        cmd.add("-Dverdict.embedded-postgres.data-dir=" + dataDir);
        String participant = properties.get("verdict.participant.name");
        if (participant != null && !properties.containsKey("verdict.participant.coordinator-key")) {
            cmd.add("-Dverdict.participant.coordinator-key=" + keyOf(participant)); // a bank enrolled in keyFile()
        }
        if (participant != null && !properties.containsKey("verdict.participant.callback-secrets")) {
            // The current secret, and a previous one still accepted, as during a rotation.
            cmd.add("-Dverdict.participant.callback-secrets=" + callbackSecretOf(participant) + ","
                    + callbackSecretOf(participant + " (previous)"));
        }
        if (participant != null) {
            // The banks' own API takes the same test keys: the tests call it as admin, banks credit
            // each other with their own key (role client).
            cmd.add("-Dverdict.auth.api-key-file=" + keyFile());
            cmd.add("-Dbank.peer-key=" + keyOf(participant));
        }
        properties.forEach((k, v) -> {
            if (!k.equals(DB_PASSWORD)) {
                cmd.add("-D" + k + "=" + v);
            }
        });
        for (String p : extraProperties) {
            cmd.add("-D" + p);
        }
        cmd.add("-jar");
        cmd.add(jar.toString());
        Path log = logDir.resolve(name + "-" + (++runs) + ".log");
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        if (properties.containsKey(DB_PASSWORD)) {
            builder.environment().put("QUARKUS_DATASOURCE_PASSWORD", properties.get(DB_PASSWORD));
        }
        process = builder.start();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(name + " exited during start-up; see " + log);
                    }
                    return ready();
                });
        return this;
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    boolean ready() {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url() + "/q/health/ready").toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(2000);
            return c.getResponseCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** SIGKILL: no shutdown hook runs, its embedded PostgreSQL is left running as an orphan. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGSTOP: the process stays, but runs nothing (its heartbeats stop; its sockets fill up). */
    void freeze() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT: it runs again, and finds whatever happened meanwhile. */
    void thaw() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    /** SIGTERM without waiting: the node drains (docs/operations.md, "Stopping a node") while the test watches. */
    void terminate() throws IOException, InterruptedException {
        signal("TERM");
    }

    /** @return whether the process exited within {@code patience} */
    boolean awaitExit(Duration patience) throws InterruptedException {
        return process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits for a process that a crash point halts. */
    void awaitExit() throws InterruptedException {
        if (!awaitExit(Duration.ofSeconds(60))) {
            throw new AssertionError(name + " did not exit at its crash point");
        }
    }

    /** SIGTERM: graceful shutdown, which also stops its embedded PostgreSQL. */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    /** After the tests: stops each service (null ones skipped) and any PostgreSQL it left behind. */
    static void stopAll(Service... services) throws Exception {
        for (Service s : services) {
            if (s != null) {
                s.stop();
                s.stopOrphanedDatabase();
            }
        }
    }

    /** After the tests: stop a PostgreSQL a killed process left behind. */
    void stopOrphanedDatabase() throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (Files.exists(pidFile)) {
            long pid = Long.parseLong(Files.readAllLines(pidFile, StandardCharsets.UTF_8).get(0).trim());
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
