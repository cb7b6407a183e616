package dev.verdict.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The superuser password of an embedded PostgreSQL, kept in a file beside its data directory
 * ({@code <data-dir>.password}, e.g. {@code ~/.verdict/coordinator/pgdata.password}). Beside and
 * not inside: PostgreSQL owns what is inside, and wiping the data directory (the {@code clean}
 * setting) must not leave a password behind that no longer matches anything.
 *
 * <p>The file holds exactly the password (no newline), owner-only (mode 600) from the moment it
 * exists. initdb reads it as its {@code --pwfile}, so the password never appears in a command
 * line. It is never printed or logged; only its path is.
 */
final class PasswordFile {

    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordFile() {
    }

    /** Where the password of the server in {@code dataDir} is kept. */
    static Path of(Path dataDir) {
        return dataDir.resolveSibling(dataDir.getFileName() + ".password");
    }

    /** 32 random bytes, base64url without padding: 43 characters, nothing to quote anywhere. */
    static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Writes a new password to {@code file}, replacing any earlier one (a fresh data directory has
     * no use for it). Written to an owner-only temporary file first and renamed, so the file is
     * never readable by others, nor ever half written.
     */
    static String create(Path file) throws IOException {
        String password = generate();
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        Files.createFile(temporary, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        Files.writeString(temporary, password, StandardCharsets.US_ASCII);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return password;
    }

    /**
     * Reads the password back. A file others may read (restored from a backup, say) is made
     * owner-only first. A final line break, as an editor adds, is ignored, as initdb does.
     */
    static String read(Path file) throws IOException {
        if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
            System.out.printf("Verdict: made %s owner-only (mode 600)%n", file);
        }
        String password = Files.readString(file, StandardCharsets.US_ASCII).replaceFirst("\\r?\\n$", "");
        if (password.isEmpty()) {
            throw new IOException("the password file " + file + " is empty");
        }
        return password;
    }
}
