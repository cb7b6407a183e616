package dev.verdict.coordinator.core;

import java.util.List;

/**
 * The result of applying one event: the next snapshot, how durably to write it, and the effects to
 * run once it is written. A rejected step changes nothing.
 */
public record Step(Transaction next, Durability durability, List<Effect> effects, Rejection rejection) {

    public Step {
        effects = List.copyOf(effects);
    }

    static Step unchanged(Transaction tx) {
        return new Step(tx, Durability.NONE, List.of(), null);
    }

    static Step rejected(Transaction tx, Rejection why) {
        return new Step(tx, Durability.NONE, List.of(), why);
    }

    /** A change kept in the owner's memory only. */
    static Step inMemory(Transaction next, Effect... effects) {
        return new Step(next, Durability.NONE, List.of(effects), null);
    }

    static Step lazy(Transaction next, Effect... effects) {
        return new Step(next, Durability.LAZY, List.of(effects), null);
    }

    static Step forced(Transaction next, Effect... effects) {
        return new Step(next, Durability.FORCED, List.of(effects), null);
    }

    public boolean isRejected() {
        return rejection != null;
    }
}
