package dev.verdict.coordinator.service;

import dev.verdict.coordinator.core.Retention;
import dev.verdict.coordinator.core.Transaction;
import dev.verdict.coordinator.core.TransactionIds;
import dev.verdict.coordinator.core.TransactionState;
import dev.verdict.coordinator.model.StoredTransaction;
import dev.verdict.coordinator.port.Nodes;
import dev.verdict.coordinator.port.TransactionQueries;
import dev.verdict.protocol.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Answers for a transaction this node does not hold in memory, from the log. A record is the
 * answer. No record means no commit decision was ever made durable, so the transaction rolled
 * back (presumed abort), provided its owner is gone. An owner still alive is not answered for
 * (it may be about to decide; the request belongs there). An owner declared dead may still only
 * have been paused, and about to commit: so this node first makes its "rolled back" durable, as a
 * record under the very key the owner's commit decision would need. Whichever lands first is the
 * outcome, and the owner's decision, losing, turns into a rollback (invariant I8).
 */
final class LogAnswers {

    /** How the reason of every answer given by presumed abort, for a dead node, begins. */
    static final String PRESUMED_ABORT = "presumed abort: ";

    private final TransactionQueries queries;
    private final Nodes nodes;
    private final LogWriter writer;
    private final ThisNode node;
    private final Executor blocking;
    private final Clock clock;
    private final Duration nodeTimeout;
    private final NodeDirectory directory;
    private final RetentionSettings retention;

    /** @param retention null when nothing is ever pruned: no record then always means presumed abort */
    LogAnswers(TransactionQueries queries, Nodes nodes, LogWriter writer, ThisNode node, Executor blocking, Clock clock,
               Duration nodeTimeout, NodeDirectory directory, RetentionSettings retention) {
        this.queries = queries;
        this.nodes = nodes;
        this.writer = writer;
        this.node = node;
        this.blocking = blocking;
        this.clock = clock;
        this.nodeTimeout = nodeTimeout;
        this.directory = directory;
        this.retention = retention;
    }

    /**
     * The transaction's settled state: its record, or, for a dead owner's transaction, a presumed
     * rollback made durable first. Empty when the log cannot tell: an id no node ever minted, or
     * one of this node's own that it has finished and forgotten. Fails with
     * {@link ServiceException.Forgotten} when retention may have pruned its record: no fence is
     * written then either, since the transaction may have committed.
     */
    CompletionStage<Optional<StoredTransaction>> settle(String id) {
        return read(id).thenCompose(found -> {
            if (found.isPresent()) {
                return CompletableFuture.completedFuture(found);
            }
            if (retention != null && Retention.mayBeForgotten(TransactionIds.mintedAt(id), clock.instant(), retention.finished())) {
                return CompletableFuture.failedFuture(forgotten(id, "verdict.retention.finished", retention.finished()));
            }
            Optional<String> owner = TransactionIds.owner(id);
            if (owner.isEmpty()) {
                return CompletableFuture.completedFuture(Optional.empty());
            }
            if (node.is(owner.get())) {
                // Ours, finished and forgotten, no record: rolled back, or a one-phase commit whose
                // outcome only its participant holds. Saying "rolled back" could be a lie.
                return CompletableFuture.completedFuture(Optional.empty());
            }
            return onStore(() -> nodes.liveness(owner.get(), nodeTimeout)).thenCompose(liveness -> switch (liveness) {
                case DEAD -> fence(id, owner.get()).thenApply(Optional::of);
                // Never registered: no node mints an id before its incarnation is registered, so no node
                // made this one, and none can ever decide it.
                case UNKNOWN -> unknownOwner(id);
                case ALIVE -> onStore(() -> {
                    if (directory.live(owner.get()).isEmpty()) {
                        directory.refresh(nodes.live(nodeTimeout)); // a node newer than the last heartbeat's list
                    }
                    throw new ServiceException.OwnerElsewhere(owner.get(), "Transaction " + id + " belongs to"
                            + " coordinator node incarnation " + owner.get() + ", which is alive but was not reached from"
                            + " this node. Retry: the request is forwarded to it, or answered here once that node is"
                            + " declared dead (verdict.recovery.node-timeout).");
                });
            });
        });
    }

    /**
     * An owner the node table does not know: never registered, so nobody minted this id (no node
     * mints before registering), unless retention pruned the row of a node long dead. Its ids are
     * as old as it, so an id old enough for that is unknown rather than presumed rolled back.
     */
    private CompletionStage<Optional<StoredTransaction>> unknownOwner(String id) {
        if (retention != null && Retention.mayBeForgotten(TransactionIds.mintedAt(id), clock.instant(), retention.nodes())) {
            return CompletableFuture.failedFuture(forgotten(id, "verdict.retention.nodes", retention.nodes()));
        }
        return CompletableFuture.completedFuture(Optional.empty());
    }

    private static ServiceException.Forgotten forgotten(String id, String key, Duration kept) {
        return new ServiceException.Forgotten(id, "Transaction '" + id + "' began "
                + TransactionIds.mintedAt(id).map(Object::toString).orElse("long ago") + ", older than the retention window ("
                + key + " = " + kept + ", less a clock margin of " + Retention.CLOCK_MARGIN.toHours() + "h), and is not on"
                + " record: a record it had may have been pruned. Whether it committed is not known here; each"
                + " participant's own record holds its outcome.");
    }

    /** The retention window, for answers that need it (UNKNOWN outcomes); null when nothing is pruned. */
    RetentionSettings retention() {
        return retention;
    }

    Instant now() {
        return clock.instant();
    }

    private CompletionStage<StoredTransaction> fence(String id, String owner) {
        StoredTransaction fence = presumedAbort(id, PRESUMED_ABORT + "its coordinator node (incarnation " + owner
                + ") stopped before recording a commit decision. With two or more participants this is final;"
                + " a single participant decides a one-phase commit on its own, and its record is the truth.");
        return writer.force(fence, true).handle((onRecord, error) -> {
            if (error != null) {
                throw new ServiceException.LogUnavailable("The transaction log did not confirm the answer for "
                        + id + "; nothing was decided. Retry.");
            }
            return onRecord;
        }).thenCompose(onRecord -> onRecord.isEmpty() || onRecord.get() == Outcome.ROLLED_BACK
                ? CompletableFuture.completedFuture(fence)
                : read(id).thenApply(Optional::orElseThrow)); // the owner's commit landed first
    }

    /** The log's record of {@code id}, as it is: nothing is written for a missing one. */
    CompletionStage<Optional<StoredTransaction>> read(String id) {
        return onStore(() -> queries.find(id).map(TransactionQueries.Logged::tx));
    }

    private <T> CompletionStage<T> onStore(Supplier<T> read) {
        return Reads.offRequestThread(blocking, read);
    }

    private StoredTransaction presumedAbort(String id, String reason) {
        Instant now = clock.instant();
        Transaction tx = new Transaction(id, TransactionState.ROLLED_BACK, Outcome.ROLLED_BACK, reason, List.of());
        return new StoredTransaction(tx, TransactionIds.mintedAt(id).orElse(null), null, now, now, null, null);
    }
}
