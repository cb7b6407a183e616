package dev.verdict.embedded;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stale-server handling that lets a service restart after SIGKILL (the e2e tests cover the live case). */
class EmbeddedDatabaseTest {

    @TempDir
    Path dir;

    @Test
    void aPidFileWhoseNumberNowBelongsToAnotherProcessIsRemoved() throws Exception {
        // This JVM is alive and is not PostgreSQL: exactly the reused-pid case after a reboot.
        Path pidFile = dir.resolve("postmaster.pid");
        Files.writeString(pidFile, ProcessHandle.current().pid() + "\n" + dir + "\n");
        EmbeddedDatabase.stopLeftoverServer(dir);
        assertFalse(Files.exists(pidFile), "PostgreSQL would refuse to start while it names a live process");
    }

    @Test
    void aDirectoryALiveProcessStillOwnsIsRefusedAndItsServerLeftAlone() throws Exception {
        // The owner holds the library's lock file for its whole life; the OS drops it if it dies.
        // Here the owner is this JVM itself, so this pid file also names a live process.
        Path pidFile = dir.resolve("postmaster.pid");
        Files.writeString(pidFile, ProcessHandle.current().pid() + "\n");
        try (FileChannel channel = FileChannel.open(dir.resolve("epg-lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock held = channel.lock()) {
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> EmbeddedDatabase.start(dir, false));
            assertTrue(refused.getMessage().contains("in use by another running process"), refused.getMessage());
        }
        assertTrue(Files.exists(pidFile), "nothing in the directory was touched");
    }

    @Test
    void aPidFileOfAProcessThatNoLongerExistsIsLeftToPostgres() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path pidFile = dir.resolve("postmaster.pid");
        Files.writeString(pidFile, gone.pid() + "\n");
        EmbeddedDatabase.stopLeftoverServer(dir);
        assertTrue(Files.exists(pidFile), "a dead pid is PostgreSQL's own stale-lock case, handled at its start");
    }
}
