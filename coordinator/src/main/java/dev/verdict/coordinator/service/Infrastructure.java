package dev.verdict.coordinator.service;

import dev.verdict.coordinator.port.IdGenerator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;
import java.util.UUID;

/** Production implementations of the small ports; tests replace them with alternatives. */
@ApplicationScoped
public class Infrastructure {

    @Produces
    @ApplicationScoped
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @ApplicationScoped
    IdGenerator ids() {
        // Random UUIDs: unique across replicas without coordination, and not guessable.
        return () -> UUID.randomUUID().toString();
    }
}
