package dev.verdict.bench;

import dev.verdict.security.ApiKeys;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The benchmark's own admin key, new for each run: the generator is the client and the services
 * that enlist, so it needs both roles; its coordinators read the hash from a key file in the work
 * directory. Checking it is part of what every measured request costs, as in production.
 */
final class Credential {

    private static final String KEY = ApiKeys.generate();
    static final String HEADER = "Bearer " + KEY;

    private Credential() {}

    /** Writes the key file the coordinators are started with, and returns it. */
    static Path keyFile(Path workDir) throws IOException {
        Path file = workDir.resolve("api-keys");
        Files.writeString(file, "bench " + ApiKeys.hash(KEY) + " admin\n");
        return file;
    }

    /** GET with the credential, for the plain-JDK reads of metrics and status. */
    static InputStream open(String url) throws IOException {
        URLConnection connection = URI.create(url).toURL().openConnection();
        connection.setRequestProperty("Authorization", HEADER);
        return connection.getInputStream();
    }
}
