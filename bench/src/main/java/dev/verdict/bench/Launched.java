package dev.verdict.bench;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A process the benchmark started: its readiness, its CPU time, and its death (SIGTERM or SIGKILL). */
final class Launched {

    final String name;
    final int port;
    private final Process process;
    final long launchedAtNanos;

    private Launched(String name, int port, Process process, long launchedAtNanos) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.launchedAtNanos = launchedAtNanos;
    }

    /** Starts {@code java <jvmArgs> <mainArgs>} with output to {@code log}. */
    static Launched java(String name, int port, List<String> jvmArgs, List<String> mainArgs, Path log) throws IOException {
        return java(name, port, jvmArgs, mainArgs, Map.of(), log);
    }

    /**
     * As above, with {@code environment} added to this process's own: the way to pass a secret,
     * which any local user could read on a command line.
     */
    static Launched java(String name, int port, List<String> jvmArgs, List<String> mainArgs, Map<String, String> environment,
            Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmArgs);
        command.addAll(mainArgs);
        long at = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        return new Launched(name, port, builder.start(), at);
    }

    /** Waits until {@code path} on this process's port answers 200. */
    Launched awaitHttp(String path, Duration atMost) throws InterruptedException {
        awaitTrue(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited during start-up (exit " + process.exitValue() + ")");
            }
            return answers200(port, path);
        }, atMost, name + " did not answer " + path);
        return this;
    }

    /** User plus system CPU time consumed so far. */
    Duration cpu() {
        return cpuOf(process.toHandle());
    }

    boolean isAlive() {
        return process.isAlive();
    }

    void kill() throws InterruptedException {
        process.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no flush
        process.waitFor(30, TimeUnit.SECONDS);
    }

    void stop() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    static Duration cpuOf(ProcessHandle handle) {
        return handle.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** A process and all its live descendants (PostgreSQL's backends are children of its postmaster). */
    static Duration cpuOfTree(ProcessHandle root) {
        return root.descendants().map(Launched::cpuOf).reduce(cpuOf(root), Duration::plus);
    }

    static boolean answers200(int port, String path) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(5_000);
            return c.getResponseCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    static void awaitTrue(BooleanSupplier condition, Duration atMost, String failure) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(failure + " within " + atMost.toSeconds() + " s");
            }
            Thread.sleep(20);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
