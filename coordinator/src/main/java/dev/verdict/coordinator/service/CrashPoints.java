package dev.verdict.coordinator.service;

import dev.verdict.coordinator.config.VerdictConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Named places where a test can make the coordinator die as if SIGKILLed: no shutdown hook runs,
 * nothing is flushed. Armed only by {@code verdict.crash-point}, which production never sets.
 */
@ApplicationScoped
public class CrashPoints {

    @Inject
    VerdictConfig config;

    void reached(String name) {
        if (config.crashPoint().filter(name::equals).isPresent()) {
            System.err.println("verdict: crash point '" + name + "' reached; halting");
            Runtime.getRuntime().halt(137);
        }
    }
}
