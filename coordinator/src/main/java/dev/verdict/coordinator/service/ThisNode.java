package dev.verdict.coordinator.service;

import dev.verdict.coordinator.core.TransactionIds;
import java.util.function.LongSupplier;

/**
 * Who this coordinator process is among those sharing the database: a stable name that a restart
 * reuses (so it takes over its predecessor's work at once), and an incarnation per start, which
 * owns the transactions this start begins and is named in their ids. A node declared dead while
 * it was only paused starts a new incarnation (see {@link Recovery}).
 */
public final class ThisNode {

    private final String name;
    private final LongSupplier random;
    private volatile String incarnation;
    private volatile String address;

    public ThisNode(String name, LongSupplier random) {
        this.name = name;
        this.random = random;
        this.incarnation = TransactionIds.incarnation(random.getAsLong());
    }

    public String name() {
        return name;
    }

    public String incarnation() {
        return incarnation;
    }

    /** Where other nodes forward requests; known once the HTTP server listens. */
    public String address() {
        return address;
    }

    public void address(String url) {
        this.address = url;
    }

    /** A fresh incarnation, not yet this node's: it becomes so once registered ({@link #become}). */
    String newIncarnation() {
        return TransactionIds.incarnation(random.getAsLong());
    }

    /** From now on, new transactions are minted for {@code registered}, which the nodes table knows. */
    void become(String registered) {
        incarnation = registered;
    }

    /** Whether {@code id}, an incarnation, is this process's current one. */
    public boolean is(String id) {
        return incarnation.equals(id);
    }
}
