package dev.verdict.coordinator.service;

import java.util.Optional;

/**
 * Named places where a test can make the coordinator die as if SIGKILLed: no shutdown hook runs,
 * nothing is flushed. Armed only by {@code verdict.crash-point}, which production never sets.
 */
public final class CrashPoints {

    public static final CrashPoints NONE = new CrashPoints(Optional.empty());

    private final Optional<String> armed;

    public CrashPoints(Optional<String> armed) {
        this.armed = armed;
    }

    void reached(String name) {
        if (armed.filter(name::equals).isPresent()) {
            System.err.println("verdict: crash point '" + name + "' reached; halting");
            Runtime.getRuntime().halt(137);
        }
    }
}
