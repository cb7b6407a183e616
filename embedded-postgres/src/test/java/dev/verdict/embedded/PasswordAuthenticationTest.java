package dev.verdict.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded server is secure by default, on a real PostgreSQL: every connection needs the
 * generated password, which is kept owner-only beside an owner-only data directory, survives a
 * restart, and is set on a directory an older version initialised with trust authentication.
 */
class PasswordAuthenticationTest {

    @TempDir
    Path work;

    private final List<EmbeddedDatabase> started = new ArrayList<>();

    @AfterEach
    void stopServers() {
        started.forEach(EmbeddedDatabase::stop);
    }

    @Test
    void aFreshDirectoryIsBornNeedingThePassword() throws Exception {
        Path dir = work.resolve("pgdata");
        EmbeddedDatabase db = start(dir);

        assertRefusedWithoutPassword(db);
        SQLException wrong = assertThrows(SQLException.class, () -> connect(db, db.password() + "x"));
        assertEquals("28P01", wrong.getSQLState(), "password authentication failed");
        try (Connection c = connect(db, db.password())) {
            assertEquals(List.of("scram-sha-256"), strings(c, "select distinct auth_method from pg_hba_file_rules"),
                    "every rule, the Unix socket's included, needs the password");
            assertEquals(List.of("0"), strings(c, "select count(*) from pg_hba_file_rules where error is not null"));
            assertEquals(List.of("t"), strings(c, "select rolpassword like 'SCRAM-SHA-256$%' from pg_authid where rolname = 'postgres'"));
        }
        assertFalse(Files.readString(dir.resolve("pg_hba.conf")).contains("Written by Verdict"),
                "initdb itself set the password: the cluster never trusted anyone, not even during an upgrade");
    }

    @Test
    void thePasswordFileIsOwnerOnlyAndHoldsExactlyThePassword() throws Exception {
        Path dir = work.resolve("pgdata");
        EmbeddedDatabase db = start(dir);
        Path file = EmbeddedDatabase.passwordFile(dir);

        assertEquals(work.resolve("pgdata.password"), file, "beside the data directory, not inside it");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        byte[] content = Files.readAllBytes(file);
        assertEquals(db.password(), new String(content, StandardCharsets.US_ASCII), "no newline, nothing else");
        assertTrue(db.password().matches("[A-Za-z0-9_-]{43}"), "32 random bytes, base64url: " + db.password().length());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    }

    @Test
    void aRestartReusesThePasswordAndKeepsTheData() throws Exception {
        Path dir = work.resolve("pgdata");
        EmbeddedDatabase first = start(dir);
        String password = first.password();
        execute(first, password, "create table kept (v int); insert into kept values (42)");
        stop(first);
        // Restored from a backup with loose permissions, say: both are narrowed again at start.
        Files.setPosixFilePermissions(EmbeddedDatabase.passwordFile(dir), PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x---"));

        EmbeddedDatabase second = start(dir);
        assertEquals(password, second.password());
        assertEquals(password, Files.readString(EmbeddedDatabase.passwordFile(dir)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(EmbeddedDatabase.passwordFile(dir))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertRefusedWithoutPassword(second);
        try (Connection c = connect(second, password)) {
            assertEquals(List.of("42"), strings(c, "select v from kept"));
        }
    }

    @Test
    void aDirectoryInitialisedWithTrustGetsAPasswordAndKeepsItsData() throws Exception {
        Path dir = work.resolve("pgdata");
        initialiseWithTrustAsOlderVersionsDid(dir);
        assertFalse(Files.exists(EmbeddedDatabase.passwordFile(dir)));

        EmbeddedDatabase db = start(dir);
        assertRefusedWithoutPassword(db);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(EmbeddedDatabase.passwordFile(dir))));
        assertEquals(db.password(), Files.readString(EmbeddedDatabase.passwordFile(dir)));
        try (Connection c = connect(db, db.password())) {
            assertEquals(List.of("older"), strings(c, "select v from kept"));
            assertEquals(List.of("scram-sha-256"), strings(c, "select distinct auth_method from pg_hba_file_rules"));
            assertEquals(List.of("t"), strings(c, "select rolpassword like 'SCRAM-SHA-256$%' from pg_authid where rolname = 'postgres'"));
        }
        assertFalse(TrustUpgrade.trusts(dir));
        stop(db);

        EmbeddedDatabase again = start(dir);
        assertEquals(db.password(), again.password(), "upgraded once; later starts read the password back");
        assertRefusedWithoutPassword(again);
    }

    @Test
    void aLostPasswordFileIsReportedAndTheDataLeftAlone() throws Exception {
        Path dir = work.resolve("pgdata");
        stop(start(dir));
        Files.delete(EmbeddedDatabase.passwordFile(dir));

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> start(dir));
        assertTrue(refused.getMessage().contains("password file " + EmbeddedDatabase.passwordFile(dir) + " is missing"),
                refused.getMessage());
        assertTrue(Files.exists(dir.resolve("PG_VERSION")), "the database is still there");
        assertFalse(Files.exists(EmbeddedDatabase.passwordFile(dir)), "no password was made up for it");
        assertFalse(Files.exists(dir.resolve("postmaster.pid")), "no server was started");
    }

    @Test
    void theTrustDetectorReadsRulesNotComments() throws Exception {
        Path dir = Files.createDirectories(work.resolve("hba"));
        Files.writeString(dir.resolve("pg_hba.conf"), TrustUpgrade.PASSWORD_ONLY_HBA + "# host all all 0.0.0.0/0 trust\n");
        assertFalse(TrustUpgrade.trusts(dir));
        Files.writeString(dir.resolve("pg_hba.conf"), "local all all trust # the old default\n", StandardCharsets.UTF_8);
        assertTrue(TrustUpgrade.trusts(dir));
    }

    // --- helpers -----------------------------------------------------------------------------------

    private EmbeddedDatabase start(Path dir) {
        EmbeddedDatabase db = EmbeddedDatabase.start(dir.toAbsolutePath().normalize(), false);
        started.add(db);
        return db;
    }

    private void stop(EmbeddedDatabase db) {
        db.stop();
        started.remove(db);
    }

    /** What Verdict did before passwords: the library's defaults (initdb -A trust), a table of data. */
    private static void initialiseWithTrustAsOlderVersionsDid(Path dir) throws Exception {
        try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(false)
                .setServerConfig("listen_addresses", "127.0.0.1").start()) {
            String url = "jdbc:postgresql://127.0.0.1:" + old.getPort() + "/postgres";
            try (Connection c = DriverManager.getConnection(url, userOnly()); Statement s = c.createStatement()) {
                s.execute("create table kept (v text); insert into kept values ('older')"); // no password: it trusts
            }
        }
        assertTrue(TrustUpgrade.trusts(dir), "the set-up really is an old, trusting directory");
    }

    private static void assertRefusedWithoutPassword(EmbeddedDatabase db) {
        SQLException refused = assertThrows(SQLException.class, () -> DriverManager.getConnection(db.jdbcUrl(), userOnly()).close());
        assertTrue(TrustUpgrade.isAuthenticationRefusal(refused), refused.getSQLState() + " " + refused.getMessage());
    }

    private static Properties userOnly() {
        Properties p = new Properties();
        p.setProperty("user", EmbeddedDatabase.USER);
        return p;
    }

    private static Connection connect(EmbeddedDatabase db, String password) throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl(), db.username(), password);
    }

    private static void execute(EmbeddedDatabase db, String password, String sql) throws SQLException {
        try (Connection c = connect(db, password); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static List<String> strings(Connection c, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                values.add(r.getString(1));
            }
        }
        return values;
    }
}
