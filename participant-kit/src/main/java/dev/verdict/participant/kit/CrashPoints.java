package dev.verdict.participant.kit;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Named places where a test can make this process die as if SIGKILLed (no shutdown hooks, nothing
 * flushed). Unset in production; tests enable one with {@code -Dverdict.crash-point=NAME}.
 */
@ApplicationScoped
public class CrashPoints {

    @ConfigProperty(name = "verdict.crash-point")
    Optional<String> armed;

    public void reached(String name) {
        if (armed.isPresent() && armed.get().equals(name)) {
            System.err.println("verdict: crash point '" + name + "' reached; halting");
            Runtime.getRuntime().halt(137);
        }
    }
}
