package dev.verdict.coordinator.service;

import dev.verdict.coordinator.api.ProblemException;
import dev.verdict.coordinator.config.VerdictConfig;
import dev.verdict.coordinator.core.Durability;
import dev.verdict.coordinator.core.Effect;
import dev.verdict.coordinator.core.Event;
import dev.verdict.coordinator.core.Protocol;
import dev.verdict.coordinator.core.RetryPolicy;
import dev.verdict.coordinator.core.Step;
import dev.verdict.coordinator.core.Transaction;
import dev.verdict.coordinator.core.TransactionState;
import dev.verdict.coordinator.model.StoredTransaction;
import dev.verdict.coordinator.port.IdGenerator;
import dev.verdict.coordinator.port.TransactionLog;
import dev.verdict.coordinator.port.TransactionLog.Change;
import dev.verdict.coordinator.port.TransactionQueries;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * The one place that changes transactions. Every change, whatever its source (a client command, a
 * participant's reply, a timeout, a retry, recovery after a restart), goes through {@link #apply}:
 * read the row, run the pure protocol, write the step with the durability it names, and only then
 * start its effects. The log serialises writers (a write succeeds only on the version it read, and
 * a loser decides again on the fresh state), which is what makes duplicate and concurrent commands
 * safe, across threads and across processes sharing the database.
 */
@ApplicationScoped
public class TransactionService {

    private static final Logger LOG = Logger.getLogger(TransactionService.class);

    @Inject
    TransactionLog log;

    @Inject
    TransactionQueries queries;

    @Inject
    ParticipantRegistry registry;

    @Inject
    Deliveries deliveries;

    @Inject
    DecisionWaiters waiters;

    @Inject
    InFlight inFlight;

    @Inject
    IdGenerator ids;

    @Inject
    Clock clock;

    @Inject
    VerdictConfig config;

    @Inject
    CrashPoints crashPoints;

    @Inject
    DriverThreads driver;

    private RetryPolicy retry;

    @PostConstruct
    void init() {
        retry = new RetryPolicy(config.retry().initial(), config.retry().max());
    }

    public StoredTransaction begin(Duration requestedTimeout) {
        Duration timeout = requestedTimeout == null ? config.transaction().defaultTimeout() : requestedTimeout;
        Duration max = config.transaction().maxTimeout();
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(max) > 0) {
            throw ProblemException.badRequest("timeoutMs must be between 1 and " + max.toMillis() + " (verdict.transaction.max-timeout).");
        }
        Instant now = clock.instant();
        Instant expires = now.plus(timeout);
        StoredTransaction tx = new StoredTransaction(Transaction.begun(ids.next()), now, expires, null, null, expires);
        log.create(tx);
        return tx;
    }

    public StoredTransaction enlist(String id, String participant) {
        registry.requireRegistered(participant);
        return apply(id, current -> new Event.Enlist(participant));
    }

    public CompletionStage<StoredTransaction> commit(String id) {
        return awaitDecision(id, new Event.CommitRequested());
    }

    public CompletionStage<StoredTransaction> rollback(String id) {
        return awaitDecision(id, new Event.RollbackRequested());
    }

    /**
     * Applies a command and completes with the transaction once decided, or with its current state
     * when no decision came within {@code verdict.transaction.outcome-wait}.
     */
    private CompletionStage<StoredTransaction> awaitDecision(String id, Event command) {
        CompletableFuture<StoredTransaction> decided = waiters.register(id);
        StoredTransaction after;
        try {
            after = apply(id, current -> command);
        } catch (RuntimeException e) {
            waiters.cancel(id, decided);
            throw e;
        }
        if (after.tx().state().isDecided()) {
            return CompletableFuture.completedFuture(after);
        }
        long wait = config.transaction().outcomeWait().toMillis();
        return decided.copy()
                .completeOnTimeout(null, wait, TimeUnit.MILLISECONDS)
                .thenCompose(tx -> tx != null ? CompletableFuture.completedFuture(tx) : reread(id));
    }

    private CompletionStage<StoredTransaction> reread(String id) {
        return CompletableFuture.supplyAsync(() -> queries.find(id).orElseThrow(), driver);
    }

    /** The poller's entry: a due transaction either timed out or has messages to retry. */
    public void wake(String id) {
        Instant now = clock.instant();
        applyIfKnown(id, current -> !current.tx().state().isDecided() && !now.isBefore(current.expiresAt())
                ? new Event.Expired() : new Event.RetryDue());
    }

    /** Recovery's entry, for a transaction just taken over from a dead node. */
    public void recover(String id) {
        applyIfKnown(id, current -> new Event.Recovered());
    }

    private void applyIfKnown(String id, Function<StoredTransaction, Event> choose) {
        try {
            apply(id, choose);
        } catch (ProblemException e) {
            LOG.debugf("transaction %s: %s", id, e.getMessage());
        }
    }

    /**
     * Reads the transaction, lets {@code choose} pick the event from what is stored (null: nothing
     * to do), applies it, writes the step, and starts its effects. {@code choose} may run more than
     * once if another writer got there first. Blocking: never on an event loop.
     */
    StoredTransaction apply(String id, Function<StoredTransaction, Event> choose) {
        Instant now = clock.instant();
        Applied applied = log.<Applied>modify(id, current -> {
            Event event = choose.apply(current);
            if (event == null) {
                return new Change<>(null, Durability.NONE, new Applied(current, null));
            }
            Step step = Protocol.apply(current.tx(), event);
            if (step.isRejected()) {
                return new Change<>(null, Durability.NONE, new Applied(current, step));
            }
            StoredTransaction next = schedule(current, step, now);
            if (step.durability() == Durability.FORCED) {
                crashPoints.reached("before-decision"); // votes are in; the decision is not yet written
            }
            return new Change<>(next, writeDurability(step), new Applied(next, step));
        }).orElseThrow(() -> ProblemException.transactionNotFound(id));

        if (applied.step == null) {
            return applied.tx;
        }
        LOG.debugf("transaction %s: %s -> %s %s", id, applied.step.rejection() != null ? "rejected" : "applied",
                applied.tx.tx().state(), applied.step.effects());
        if (applied.step.isRejected()) {
            throw Rejections.toProblem(applied.tx, applied.step.rejection());
        }
        if (applied.step.durability() == Durability.FORCED) {
            crashPoints.reached("after-decision"); // durable, but no participant and no client told yet
        }
        if (applied.tx.tx().state().isDecided()) {
            waiters.decided(applied.tx);
        }
        start(id, applied.step);
        return applied.tx;
    }

    private record Applied(StoredTransaction tx, Step step) {}

    /** A step that sends something must still be written, to push its due time forward. */
    private static Durability writeDurability(Step step) {
        if (step.durability() == Durability.NONE && !step.effects().isEmpty()) {
            return Durability.LAZY;
        }
        return step.durability();
    }

    /** Stamps times and decides when the driver must look at the transaction again. */
    private StoredTransaction schedule(StoredTransaction current, Step step, Instant now) {
        Transaction tx = step.next();
        TransactionState state = tx.state();
        Instant decidedAt = current.decidedAt() == null && tx.decision() != null ? now : current.decidedAt();
        Instant completedAt = state.isTerminal() ? now : null;
        Instant due;
        if (state.isTerminal()) {
            due = null;
        } else if (step.effects().stream().anyMatch(e -> e instanceof Effect.RetryLater)) {
            int attempt = step.effects().stream().filter(e -> e instanceof Effect.RetryLater)
                    .mapToInt(e -> ((Effect.RetryLater) e).attempt()).max().orElse(1);
            due = now.plus(retry.delay(attempt));
        } else if (state == TransactionState.ACTIVE || state == TransactionState.PREPARING && !tx.isOnePhase()) {
            due = current.expiresAt();
        } else {
            // Calls are under way; if their replies are lost (say this process dies), look again.
            due = now.plus(config.participant().callTimeout().multipliedBy(2));
        }
        return new StoredTransaction(tx, current.createdAt(), current.expiresAt(), decidedAt, completedAt, due);
    }

    /** Runs a step's deliveries; each reply comes back through {@link #apply} on a worker thread. */
    private void start(String id, Step step) {
        for (Effect effect : step.effects()) {
            if (effect instanceof Effect.RetryLater) {
                continue; // already encoded in the due time
            }
            inFlight.started(id);
            deliveries.deliver(id, effect).whenCompleteAsync((event, error) -> {
                try {
                    if (event != null) {
                        apply(id, current -> event);
                    }
                } catch (RuntimeException e) {
                    // The due time brings the transaction back; nothing is lost by giving up here.
                    LOG.warnf("transaction %s: could not record replies (%s); will retry", id, e.toString());
                } finally {
                    inFlight.finished(id);
                }
            }, driver);
        }
    }
}
