package dev.verdict.coordinator.port;

/** Transaction ids: unique across coordinator replicas and restarts, and unguessable. */
public interface IdGenerator {
    String next();
}
