package dev.verdict.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Brings a data directory initialised by an earlier Verdict (initdb {@code -A trust}: every local
 * user connected as superuser, no password) to password authentication, in place.
 *
 * <p>Why in place, over a running server, rather than refusing to start or re-initialising: the
 * directory holds the coordinator's log (decisions participants are owed), so it must survive,
 * and the quick start must stay a plain restart. Setting a password needs a running server, and
 * the only way in is the one the old directory offers, trust; so the server is started as it
 * always was, the password set with {@code ALTER ROLE} (hashed by the driver: only the SCRAM
 * verifier reaches the server or could reach its log), pg_hba.conf rewritten to require it on
 * every connection, the configuration reloaded, and a connection without the password checked to
 * be refused. For that second the server trusts local users exactly as it did for its whole life
 * before. Each step can be repeated: a start interrupted half-way sees trust in pg_hba.conf again
 * and does it again with the password file it has already written.
 */
final class TrustUpgrade {

    /**
     * What initdb {@code --auth=scram-sha-256} writes, minus its comments: the embedded server
     * listens on 127.0.0.1 only, and both that and its Unix socket need the password.
     */
    static final String PASSWORD_ONLY_HBA = """
            # Written by Verdict: every connection needs the superuser's password (scram-sha-256),
            # which is kept beside this data directory in <data-dir>.password.
            # TYPE  DATABASE        USER            ADDRESS                 METHOD
            local   all             all                                     scram-sha-256
            host    all             all             127.0.0.1/32            scram-sha-256
            host    all             all             ::1/128                 scram-sha-256
            local   replication     all                                     scram-sha-256
            host    replication     all             127.0.0.1/32            scram-sha-256
            host    replication     all             ::1/128                 scram-sha-256
            """;
    private static final Duration RELOAD_WAIT = Duration.ofSeconds(10);

    private TrustUpgrade() {
    }

    /** Whether pg_hba.conf lets any connection in without a password (an old directory's does). */
    static boolean trusts(Path dataDir) throws IOException {
        return Files.readAllLines(dataDir.resolve("pg_hba.conf"), StandardCharsets.UTF_8).stream()
                .map(line -> line.replaceFirst("#.*", "").trim())
                .filter(rule -> !rule.isEmpty())
                .anyMatch(rule -> Arrays.asList(rule.split("\\s+")).contains("trust"));
    }

    /**
     * @param trusting the running server, reached as its superuser (it trusts, so no password is checked)
     * @param port where the server listens on 127.0.0.1, to check the result
     */
    static void upgrade(Path dataDir, DataSource trusting, int port, String password) throws IOException, SQLException {
        char[] secret = password.toCharArray();
        try (Connection c = trusting.getConnection()) {
            c.unwrap(PGConnection.class).alterUserPassword(EmbeddedDatabase.USER, secret, "scram-sha-256");
        } finally {
            Arrays.fill(secret, '\0');
        }
        writeOwnerOnly(dataDir.resolve("pg_hba.conf"), PASSWORD_ONLY_HBA);
        try (Connection c = trusting.getConnection(); Statement s = c.createStatement()) {
            s.execute("select pg_reload_conf()");
        }
        awaitPasswordRequired(port);
    }

    /** The reload is asynchronous (a signal to the postmaster): wait until it has taken effect. */
    private static void awaitPasswordRequired(int port) throws SQLException {
        PGSimpleDataSource withoutPassword = new PGSimpleDataSource();
        withoutPassword.setServerNames(new String[] {"127.0.0.1"});
        withoutPassword.setPortNumbers(new int[] {port});
        withoutPassword.setDatabaseName("postgres");
        withoutPassword.setUser(EmbeddedDatabase.USER);
        long deadline = System.nanoTime() + RELOAD_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try (Connection c = withoutPassword.getConnection()) {
                Thread.sleep(50);
            } catch (SQLException e) {
                if (isAuthenticationRefusal(e)) {
                    return;
                }
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IllegalStateException("PostgreSQL still accepts connections without a password after pg_hba.conf"
                + " was rewritten; check its log for an error in pg_hba.conf");
    }

    /**
     * 28xxx: the server refused the credentials; 08004: the driver had no password to give when
     * the server asked for one (SCRAM). Anything else (a dead server) is not the answer awaited.
     */
    static boolean isAuthenticationRefusal(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("28") || state.equals("08004"));
    }

    private static void writeOwnerOnly(Path file, String content) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PasswordFile.OWNER_ONLY));
        Files.writeString(temporary, content, StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
