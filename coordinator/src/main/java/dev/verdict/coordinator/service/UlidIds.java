package dev.verdict.coordinator.service;

import dev.verdict.coordinator.core.TransactionIds;
import dev.verdict.coordinator.port.IdGenerator;
import java.time.Clock;
import java.util.random.RandomGenerator;

/** Transaction ids of {@link TransactionIds}' shape, owned by this node's current incarnation. */
final class UlidIds implements IdGenerator {

    private final ThisNode node;
    private final Clock clock;
    private final RandomGenerator random;

    /** @param random a {@link java.security.SecureRandom} in production: ids must not be guessable */
    UlidIds(ThisNode node, Clock clock, RandomGenerator random) {
        this.node = node;
        this.clock = clock;
        this.random = random;
    }

    @Override
    public String next() {
        return TransactionIds.mint(node.incarnation(), clock.millis(), random.nextInt(1 << 16), random.nextLong());
    }
}
