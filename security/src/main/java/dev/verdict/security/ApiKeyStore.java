package dev.verdict.security;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The keys of the key file, by hash. The file is read again when it changes (checked at most once
 * a second, on use), so keys are added and revoked without a restart, also when the file is a
 * mounted Kubernetes Secret. A file that stops parsing keeps the last good keys and is reported.
 */
@Singleton
public class ApiKeyStore {

    private static final Logger LOG = Logger.getLogger(ApiKeyStore.class);
    private static final long CHECK_EVERY_NANOS = 1_000_000_000L;

    @Inject
    AuthConfig config;

    private volatile Map<String, ApiKey> keys = Map.of();
    private volatile FileTime loaded;
    private final AtomicLong checkedAt = new AtomicLong(System.nanoTime() - CHECK_EVERY_NANOS);

    /** Start-up: creates the file with an admin key if it does not exist, then reads it; a bad file stops the start. */
    public void open() {
        Optional<Path> file = config.apiKeyFile();
        if (file.isEmpty()) {
            return;
        }
        Path path = file.get().toAbsolutePath();
        Path adminKey = path.resolveSibling("admin.key");
        try {
            if (!Files.exists(path)) {
                ApiKeyFile.createWithAdminKey(path, adminKey);
                LOG.infof("Created the key file %s with a new admin API key, written owner-only to %s."
                        + " Send it as 'Authorization: Bearer <key>'.", path, adminKey);
            }
            loaded = Files.getLastModifiedTime(path);
            keys = ApiKeyFile.read(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the key file " + path
                    + " (verdict.auth.api-key-file): " + e.getMessage(), e);
        }
        LOG.infof("API keys: %d from %s", keys.size(), path);
    }

    public Optional<ApiKey> find(String key) {
        refreshIfDue();
        return Optional.ofNullable(keys.get(ApiKeys.hash(key)));
    }

    private void refreshIfDue() {
        long now = System.nanoTime();
        long last = checkedAt.get();
        if (now - last < CHECK_EVERY_NANOS || !checkedAt.compareAndSet(last, now) || config.apiKeyFile().isEmpty()) {
            return;
        }
        Path path = config.apiKeyFile().get();
        FileTime modified;
        try {
            modified = Files.getLastModifiedTime(path);
        } catch (IOException e) {
            LOG.errorf("The key file %s cannot be read (%s); keeping the %d keys read before", path, e, keys.size());
            return;
        }
        if (modified.equals(loaded)) {
            return;
        }
        loaded = modified; // a file that does not parse is reported once per change, not once a second
        try {
            keys = ApiKeyFile.read(path);
            LOG.infof("API keys: %d from %s (changed)", keys.size(), path);
        } catch (IOException | IllegalArgumentException e) {
            // Keep the keys still written in it, so a typo never locks everyone out, but drop those
            // deleted from it: a revocation must hold even when the same edit broke another line.
            try {
                java.util.Set<String> present = ApiKeyFile.hashesIn(path);
                Map<String, ApiKey> kept = new java.util.HashMap<>(keys);
                kept.keySet().retainAll(present);
                keys = Map.copyOf(kept);
            } catch (IOException unreadable) {
                keys = Map.of(); // cannot tell what was revoked: nobody gets in by key until it is fixed
            }
            LOG.errorf("The key file %s changed but cannot be read (%s); %d keys still in it stay valid until it is fixed",
                    path, e.getMessage(), keys.size());
        }
    }
}
