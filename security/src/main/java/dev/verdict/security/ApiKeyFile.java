package dev.verdict.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The key file: one API key per line, as {@code name hash roles [participant]}, for example
 * <pre>
 * admin   sha256:5e88…  admin
 * bank-a  sha256:9f86…  participant,client  bank-a
 * </pre>
 * It holds hashes only, so it can live in a ConfigMap or a mounted Secret and be read by anyone who
 * runs the service; the keys themselves stay with their holders. docs/security.md describes it.
 */
public final class ApiKeyFile {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    private static final Pattern PARTICIPANT = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern HASH = Pattern.compile(Pattern.quote(ApiKeys.HASH_PREFIX) + "[0-9a-f]{64}");
    private static final String HEADER = """
            # Verdict API keys: one per line, as NAME HASH ROLES [PARTICIPANT]. HASH is sha256: and the hex
            # SHA-256 of the key (printf %s "$KEY" | sha256sum); ROLES is a comma-separated list of client,
            # participant, operator, admin; PARTICIPANT is the participant name a participant key speaks for.
            # Changes are picked up within a second, without a restart. See docs/security.md.
            """;

    private ApiKeyFile() {}

    /** The file's keys by hash. */
    public static Map<String, ApiKey> read(Path file) throws IOException {
        Map<String, ApiKey> keys = new HashMap<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            ApiKey key = parse(line, file, i + 1);
            if (keys.putIfAbsent(key.hash(), key) != null) {
                throw invalid(file, i + 1, "the same hash is listed twice");
            }
        }
        return keys;
    }

    private static ApiKey parse(String line, Path file, int number) {
        String[] fields = line.split("\\s+");
        if (fields.length < 3 || fields.length > 4) {
            throw invalid(file, number, "expected NAME HASH ROLES [PARTICIPANT], found " + fields.length + " fields");
        }
        if (!NAME.matcher(fields[0]).matches()) {
            throw invalid(file, number, "the name must be 1 to 64 letters, digits, '.', '_', '@' or '-'");
        }
        if (!HASH.matcher(fields[1]).matches()) {
            throw invalid(file, number, "the hash must be 'sha256:' and 64 lowercase hex digits (never the key itself)");
        }
        Set<String> roles = new LinkedHashSet<>(Arrays.asList(fields[2].split(",")));
        if (!Roles.ALL.containsAll(roles)) {
            throw invalid(file, number, "unknown role in '" + fields[2] + "'; roles are " + String.join(", ", Roles.ALL));
        }
        Optional<String> participant = fields.length == 4 ? Optional.of(fields[3]) : Optional.empty();
        if (participant.isPresent() && !PARTICIPANT.matcher(participant.get()).matches()) {
            throw invalid(file, number, "'" + participant.get() + "' is not a participant name (lowercase letters,"
                    + " digits, '.', '_', '-'; at most 64)");
        }
        if (roles.contains(Roles.PARTICIPANT) && participant.isEmpty()) {
            throw invalid(file, number, "a participant key names the participant it speaks for (a fourth field)");
        }
        return new ApiKey(fields[0], fields[1], Set.copyOf(roles), participant);
    }

    private static IllegalArgumentException invalid(Path file, int line, String why) {
        return new IllegalArgumentException(file + ", line " + line + ": " + why);
    }

    /**
     * Creates the key file with one new admin key, and writes that key to {@code keyOut}; both
     * owner-only from the moment they exist. Fails if either exists: keys are never overwritten.
     */
    public static void createWithAdminKey(Path file, Path keyOut) throws IOException {
        String key = ApiKeys.generate();
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (Files.exists(file)) {
            throw new FileAlreadyExistsException(file.toString());
        }
        writeOwnerOnly(keyOut, key + "\n");
        writeOwnerOnly(file, HEADER + line("admin", ApiKeys.hash(key), Set.of(Roles.ADMIN), Optional.empty()));
    }

    public static String line(String name, String hash, Set<String> roles, Optional<String> participant) {
        return name + " " + hash + " " + String.join(",", roles.stream().sorted().toList())
                + participant.map(p -> " " + p).orElse("") + "\n";
    }

    /**
     * Writes a new file whole, owner-only from the start: into a temporary file beside it, then
     * moved into place, so that nobody (an enrolment appending a key, a reload) ever sees it half
     * written. Fails if the file exists.
     */
    private static void writeOwnerOnly(Path path, String content) throws IOException {
        if (Files.exists(path)) {
            throw new FileAlreadyExistsException(path.toString());
        }
        Path temporary;
        try {
            temporary = Files.createTempFile(path.getParent(), ".new-", "",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            temporary = Files.createTempFile(path.getParent(), ".new-", ""); // not POSIX: its defaults apply
        }
        Files.writeString(temporary, content);
        Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The hashes written anywhere in the file, parseable or not: a key deleted from it is deleted. */
    public static java.util.Set<String> hashesIn(Path file) throws IOException {
        java.util.Set<String> hashes = new java.util.HashSet<>();
        java.util.regex.Matcher m = Pattern.compile(Pattern.quote(ApiKeys.HASH_PREFIX) + "[0-9a-f]{64}")
                .matcher(Files.readString(file));
        while (m.find()) {
            hashes.add(m.group());
        }
        return hashes;
    }
}
