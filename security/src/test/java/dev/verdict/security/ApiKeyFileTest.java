package dev.verdict.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeyFileTest {

    @TempDir
    Path dir;

    @Test
    void theFirstStartWritesAnOwnerOnlyAdminKeyWhoseHashIsInTheFile() throws Exception {
        Path file = dir.resolve("api-keys");
        Path key = dir.resolve("admin.key");
        ApiKeyFile.createWithAdminKey(file, key);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String admin = Files.readString(key).strip();
        assertTrue(admin.startsWith(ApiKeys.PREFIX));
        Map<String, ApiKey> keys = ApiKeyFile.read(file);
        assertEquals(new ApiKey("admin", ApiKeys.hash(admin), Set.of(Roles.ADMIN), Optional.empty()), keys.get(ApiKeys.hash(admin)));
        assertTrue(!Files.readString(file).contains(admin), "the file holds the hash, never the key");
        assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> ApiKeyFile.createWithAdminKey(file, key));
    }

    @Test
    void badLinesNameTheirLineAndTheProblem() throws Exception {
        String hash = ApiKeys.hash("vdk_x");
        for (String[] bad : new String[][] {
                {"bank-a " + hash, "expected NAME HASH ROLES"},
                {"bank-a vdk_plaintext-key participant bank-a", "never the key itself"},
                {"bank-a " + hash + " superuser", "unknown role"},
                {"bank-a " + hash + " participant", "names the participant"},
                {"bank-a " + hash + " participant Bank_A!", "not a participant name"},
                {"a " + hash + " client\nb " + hash + " client", "twice"}}) {
            Path file = dir.resolve("keys-" + Math.abs(bad[0].hashCode()));
            Files.writeString(file, "# comment\n" + bad[0] + "\n");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ApiKeyFile.read(file));
            assertTrue(e.getMessage().contains("line 2") || e.getMessage().contains("line 3"), e.getMessage());
            assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
        }
    }
}
