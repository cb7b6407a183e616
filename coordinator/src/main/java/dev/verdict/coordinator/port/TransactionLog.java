package dev.verdict.coordinator.port;

import dev.verdict.coordinator.core.Durability;
import dev.verdict.coordinator.model.StoredTransaction;
import java.util.Optional;
import java.util.function.Function;

/** The hot path's storage: create a transaction, and change one atomically with a chosen durability. */
public interface TransactionLog {

    /** Records a new transaction. Lazily durable: a begin lost in a crash is an unknown, so aborted, id. */
    void create(StoredTransaction tx);

    /**
     * Reads the transaction, lets {@code change} decide, and writes what it returns with the
     * durability it asks for before returning. No other writer, in this process or another,
     * interleaves: if one wrote in between, {@code change} runs again on what it wrote (so it must
     * have no effects but its result). Empty when the id is unknown.
     */
    <R> Optional<R> modify(String id, Function<StoredTransaction, Change<R>> change);

    /**
     * @param next null to write nothing
     * @param result handed back to the caller of {@link #modify}
     */
    record Change<R>(StoredTransaction next, Durability durability, R result) {}
}
