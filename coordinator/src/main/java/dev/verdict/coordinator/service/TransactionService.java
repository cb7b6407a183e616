package dev.verdict.coordinator.service;

import dev.verdict.coordinator.core.Event;
import dev.verdict.coordinator.core.Rejection;
import dev.verdict.coordinator.core.Retention;
import dev.verdict.coordinator.core.TransactionIds;
import dev.verdict.coordinator.core.TransactionState;
import dev.verdict.coordinator.model.Node;
import dev.verdict.coordinator.model.StoredTransaction;
import dev.verdict.coordinator.port.IdGenerator;
import dev.verdict.coordinator.port.Tracing;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * What clients and participants ask of transactions, whichever node they reach. A transaction
 * this node holds in memory (it began it, or drives its phase 2) is handled by the
 * {@link TransactionDriver}; any other is answered from the log by {@link LogAnswers}, with
 * presumed abort made durable where another node could still decide. Requests for a transaction
 * another live node holds are forwarded to it before they get here ({@link #forwardTarget}).
 */
public final class TransactionService {

    private final LiveTransactions table;
    private final TransactionDriver driver;
    private final LogAnswers log;
    private final ParticipantRegistry registry;
    private final IdGenerator ids;
    private final ThisNode node;
    private final NodeDirectory directory;
    private final DriverSettings settings;
    private final Executor blocking;
    private final Lease lease;
    private final Tracing tracing;
    private volatile boolean accepting;

    TransactionService(LiveTransactions table, TransactionDriver driver, LogAnswers log, ParticipantRegistry registry,
                       IdGenerator ids, ThisNode node, NodeDirectory directory,
                       DriverSettings settings, Executor blocking, Lease lease, Tracing tracing) {
        this.table = table;
        this.driver = driver;
        this.log = log;
        this.registry = registry;
        this.ids = ids;
        this.node = node;
        this.directory = directory;
        this.settings = settings;
        this.blocking = blocking;
        this.lease = lease;
        this.tracing = tracing;
    }

    /**
     * Opens for new transactions once this node is registered (every id it mints names a known
     * node), and closes when it stops or is shut out.
     */
    void accept(boolean open) {
        accepting = open;
    }

    public StoredTransaction begin(Duration requestedTimeout, Caller caller) {
        Duration timeout = requestedTimeout == null ? settings.defaultTimeout() : requestedTimeout;
        Duration max = settings.maxTimeout();
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(max) > 0) {
            throw new ServiceException.Invalid("timeoutMs must be between 1 and " + max.toMillis()
                    + " (verdict.transaction.max-timeout).");
        }
        if (!accepting) {
            // Until this node is registered, no other node could route to it or answer for it.
            throw new ServiceException.NotReady("This coordinator node is not serving (starting, stopping, or shut"
                    + " out under a name another process uses); nothing was begun. Retry on another node.");
        }
        if (!lease.valid()) {
            throw new ServiceException.NotReady("This coordinator node has not recorded a heartbeat for half the"
                    + " node timeout (its database is slow or unreachable); nothing was begun. Retry shortly, or on"
                    + " another node.");
        }
        return driver.begin(ids.next(), timeout, caller.id(), tracing.current());
    }

    public CompletionStage<StoredTransaction> enlist(String id, String participant) {
        Tracing.Parent from = tracing.current(); // the request's trace, read on its thread: what follows may hop
        if (!TransactionIds.isWellFormed(id)) {
            return CompletableFuture.failedFuture(notAnId());
        }
        if (participant != null && !participant.isBlank() && !ParticipantRegistry.isName(participant)) {
            return CompletableFuture.failedFuture(new ServiceException.Invalid("Field 'participant' must be the name of a"
                    + " registered participant: 1-64 characters of a-z, 0-9, '.', '_' and '-', starting with a letter or digit."));
        }
        if (registry.isCached(participant)) {
            return enlistRegistered(id, participant, from);
        }
        // A first enlistment of this name since start: the registry reads the database.
        return Reads.offRequestThread(blocking, () -> {
            registry.requireRegistered(participant);
            return participant;
        }).thenCompose(ignored -> enlistRegistered(id, participant, from));
    }

    private CompletionStage<StoredTransaction> enlistRegistered(String id, String participant, Tracing.Parent from) {
        LiveTransaction live = table.get(id);
        if (live != null) {
            try {
                return CompletableFuture.completedFuture(driver.enlist(live, participant, from));
            } catch (ServiceException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return settled(id).thenApply(tx -> {
            throw new ServiceException.Rejected(tx, Rejection.NOT_ACTIVE);
        });
    }

    /** Completes with the transaction once decided, or as it stands after {@code outcome-wait}. */
    public CompletionStage<StoredTransaction> commit(String id, Caller caller) {
        return command(id, new Event.CommitRequested(), caller);
    }

    public CompletionStage<StoredTransaction> rollback(String id, Caller caller) {
        return command(id, new Event.RollbackRequested(), caller);
    }

    /** Checked before a command acts; a settled transaction is only read, and checked once read. */
    private CompletionStage<StoredTransaction> command(String id, Event command, Caller caller) {
        if (!TransactionIds.isWellFormed(id)) {
            return CompletableFuture.failedFuture(notAnId());
        }
        LiveTransaction live = table.get(id);
        if (live != null) {
            try {
                caller.requireMayCommand(live.snapshot());
            } catch (ServiceException e) {
                return CompletableFuture.failedFuture(e);
            }
            return driver.awaitDecision(live, command, tracing.current());
        }
        return settled(id).thenApply(caller::requireMayCommand);
    }

    /** The transaction as this node knows it: in memory, or settled from the log. */
    public CompletionStage<StoredTransaction> find(String id, Caller caller) {
        if (!TransactionIds.isWellFormed(id)) {
            return CompletableFuture.failedFuture(notAnId());
        }
        LiveTransaction live = table.get(id);
        if (live != null) {
            return CompletableFuture.completedFuture(live.snapshot()).thenApply(caller::requireMayRead);
        }
        Optional<StoredTransaction> recent = table.recentlyFinished(id);
        if (recent.isPresent() && recent.get().tx().state() == TransactionState.HEURISTIC) {
            // An operator may have acknowledged it since, through any node: only the log knows. Its
            // row was forced before the outcome was installed, so it is there; if the log cannot be
            // read, memory answers. Only reads need this, never the protocol.
            StoredTransaction remembered = recent.get();
            return log.read(id).handle((logged, error) -> error == null && logged.isPresent() ? logged.get() : remembered)
                    .thenApply(caller::requireMayRead);
        }
        return settled(id).thenApply(caller::requireMayRead);
    }

    /**
     * For participants in doubt: COMMITTED, ROLLED_BACK, PENDING while undecided, or UNKNOWN for an
     * id old enough that retention may have pruned its record ({@link Retention}). Presumed abort
     * answers for an id the log cannot tell about: a participant that asks has not decided on its
     * own (a one-phase participant never needs to ask), so for it "no record" means rolled back.
     * Not for what cannot be an id: a participant that asks with a mangled id (upper-cased, with a
     * stray byte) would be told ROLLED_BACK about a transaction that may have committed.
     */
    public CompletionStage<Retention.Answer> outcome(String id) {
        if (!TransactionIds.isWellFormed(id)) {
            return CompletableFuture.failedFuture(new ServiceException.Invalid("This is not a transaction id: ids are 1-"
                    + TransactionIds.MAX_LENGTH + " characters of 0-9, a-z and '.' (docs/protocol.md, section 2). Ask with"
                    + " the id exactly as the Verdict-Transaction header carried it; no outcome is given for any other."));
        }
        LiveTransaction live = table.get(id);
        if (live != null) {
            return CompletableFuture.completedFuture(answer(id, Optional.of(live.snapshot())));
        }
        return known(id).handle((tx, error) -> {
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            if (cause instanceof ServiceException.Forgotten) {
                return Retention.Answer.UNKNOWN;
            }
            if (cause != null) {
                throw cause instanceof RuntimeException r ? r : new java.util.concurrent.CompletionException(cause);
            }
            return answer(id, tx);
        });
    }

    private Retention.Answer answer(String id, Optional<StoredTransaction> known) {
        RetentionSettings kept = log.retention();
        return Retention.outcome(known.map(StoredTransaction::tx), TransactionIds.mintedAt(id), log.now(),
                kept == null ? null : kept.finished());
    }

    /** The transaction as this node holds it in memory right now, if it does. */
    public Optional<StoredTransaction> held(String id) {
        LiveTransaction live = table.get(id);
        return live == null ? Optional.empty() : Optional.of(live.snapshot());
    }

    /** Another live node that holds this transaction, to forward a request to; empty to answer here. */
    public Optional<Node> forwardTarget(String id) {
        if (table.holds(id)) {
            return Optional.empty();
        }
        return TransactionIds.owner(id).filter(owner -> !node.is(owner)).flatMap(directory::live);
    }

    /** An id that cannot exist is simply not found; the database is not asked. */
    static ServiceException notAnId() {
        return new ServiceException.TransactionNotFound(null, "No transaction has this id: transaction ids are 1-"
                + TransactionIds.MAX_LENGTH + " characters of 0-9, a-z and '.' (docs/protocol.md, section 2).");
    }

    private CompletionStage<StoredTransaction> settled(String id) {
        return known(id).thenApply(tx -> tx.orElseThrow(() -> new ServiceException.TransactionNotFound(id,
                TransactionIds.owner(id).filter(node::is).isPresent()
                        ? "Transaction '" + id + "' finished on this node and is no longer remembered. It left no commit"
                        + " record, so it rolled back, unless it had a single participant (one-phase commit), whose"
                        + " outcome that participant holds."
                        : "No transaction with id '" + id + "' is known to this coordinator.")));
    }

    private CompletionStage<Optional<StoredTransaction>> known(String id) {
        Optional<StoredTransaction> recent = table.recentlyFinished(id);
        if (recent.isPresent()) {
            return CompletableFuture.completedFuture(recent);
        }
        return log.settle(id);
    }

    /**
     * Whether this is an answer by presumed abort for a dead node's transaction: final with two or
     * more participants; with one, that participant's own outcome stands (docs/protocol.md).
     */
    public static boolean isPresumedAbort(StoredTransaction tx) {
        return tx.tx().reason() != null && tx.tx().reason().startsWith(LogAnswers.PRESUMED_ABORT);
    }
}
