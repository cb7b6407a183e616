package dev.verdict.coordinator.service;

import dev.verdict.coordinator.core.Durability;
import dev.verdict.coordinator.core.Effect;
import dev.verdict.coordinator.core.Event;
import dev.verdict.coordinator.core.HistoryKind;
import dev.verdict.coordinator.core.Protocol;
import dev.verdict.coordinator.core.Rejection;
import dev.verdict.coordinator.core.Step;
import dev.verdict.coordinator.core.Transaction;
import dev.verdict.coordinator.core.TransactionState;
import dev.verdict.coordinator.metrics.VerdictMetrics;
import dev.verdict.coordinator.model.StoredTransaction;
import dev.verdict.coordinator.port.Scheduler;
import dev.verdict.coordinator.port.Tracing;
import dev.verdict.protocol.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * Carries out the protocol for the transactions this node holds in memory. Every change, whatever
 * its source (a client command, a participant's reply, a timeout, a retry, a takeover), goes
 * through {@link #apply}: run the pure core on the snapshot under the transaction's monitor, keep
 * the step in memory, and then run its effects. A forced step is different: its record goes to
 * the {@link LogWriter} first, the transaction accepts no other change until the group holding it
 * is flushed, and only then is the step installed, waiting clients told and phase 2 started (I3).
 *
 * <p>Nothing here blocks: handlers run on the thread that brought the event (an HTTP event loop,
 * the participant client's event loop, the timer thread, the log writer).
 *
 * <p>Spans (docs/operations.md, "Traces") hang under the transaction's place in its trace
 * ({@link LiveTransaction#trace}): its begin, then the request that asked to commit or roll it back;
 * a retry or a takeover opens a span of its own that the messages it sends hang under.
 */
public final class TransactionDriver {

    private static final Logger LOG = Logger.getLogger(TransactionDriver.class);
    /** Commit and rollback requests one transaction keeps waiting at once; more get 503 at-capacity. */
    static final int MAX_WAITERS = 64;

    private final LiveTransactions table;
    private final LogWriter writer;
    private final Deliveries deliveries;
    private final Scheduler scheduler;
    private final Clock clock;
    private final DriverSettings settings;
    private final CrashPoints crashPoints;
    private final VerdictMetrics metrics;
    private final History history;
    private final PhaseTimes phases;
    private final Tracing tracing;

    public TransactionDriver(LiveTransactions table, LogWriter writer, Deliveries deliveries, Scheduler scheduler,
                             Clock clock, DriverSettings settings, CrashPoints crashPoints, VerdictMetrics metrics,
                             History history, Tracing tracing) {
        this.table = table;
        this.writer = writer;
        this.deliveries = deliveries;
        this.scheduler = scheduler;
        this.clock = clock;
        this.settings = settings;
        this.crashPoints = crashPoints;
        this.metrics = metrics;
        this.phases = new PhaseTimes(scheduler, metrics);
        this.history = history;
        this.tracing = tracing;
    }

    /** @param from the trace of the request that begins it (null: none) */
    StoredTransaction begin(String id, Duration timeout, String beganBy, Tracing.Parent from) {
        Tracing.Span span = tracing.start("verdict.begin", from).set(Tracing.TRANSACTION, id);
        Instant now = clock.instant();
        LiveTransaction tx = table.add(new StoredTransaction(Transaction.begun(id), now, now.plus(timeout), null, null,
                null, beganBy));
        Scheduler.Timer expiry = scheduler.schedule(timeout, () -> onEvent(tx, new Event.Expired()));
        Map<String, Object> detail = new HashMap<>(2);
        detail.put("timeoutMs", timeout.toMillis());
        if (beganBy != null) {
            detail.put("beganBy", beganBy);
        }
        tx.trace = span;
        span.end();
        synchronized (tx) {
            history.record(id, HistoryKind.BEGUN, null, detail);
            tx.expiry = expiry;
            return tx.snapshot;
        }
    }

    /** @throws ServiceException.Rejected when the transaction no longer accepts participants */
    StoredTransaction enlist(LiveTransaction tx, String participant, Tracing.Parent from) {
        Tracing.Span span = tracing.start("verdict.enlist", from != null ? from : tx.trace)
                .set(Tracing.TRANSACTION, tx.id).set(Tracing.PARTICIPANT, participant);
        try {
            Applied applied = apply(tx, new Event.Enlist(participant), Tracing.NONE);
            if (applied.rejection() != null) {
                span.failed(applied.rejection().name());
                throw new ServiceException.Rejected(applied.tx(), applied.rejection());
            }
            return applied.tx();
        } finally {
            span.end();
        }
    }

    /**
     * Applies a client's commit or rollback and completes with the transaction once its decision
     * is durable, or with its current state after {@code outcome-wait}. The waiter is registered
     * before the command is applied, so a decision taken in between is never missed.
     *
     * @param from the trace of the request: the prepare round, the decision and phase 2 join it
     */
    CompletionStage<StoredTransaction> awaitDecision(LiveTransaction tx, Event command, Tracing.Parent from) {
        if (from != null) {
            tx.trace = from;
        }
        CompletableFuture<StoredTransaction> waiter = new CompletableFuture<>();
        synchronized (tx) {
            if (tx.waiters.size() >= MAX_WAITERS) {
                return CompletableFuture.failedFuture(new ServiceException.AtCapacity(MAX_WAITERS
                        + " requests already wait for the outcome of transaction " + tx.id + "; retry shortly."));
            }
            tx.waiters.add(waiter);
        }
        Applied applied = apply(tx, command, Tracing.NONE);
        if (applied.rejection() != null) {
            forget(tx, waiter);
            return CompletableFuture.failedFuture(new ServiceException.Rejected(applied.tx(), applied.rejection()));
        }
        synchronized (tx) {
            if (!waiter.isDone() && tx.deciding == null && (tx.finished || tx.snapshot.tx().state().isDecided())) {
                tx.waiters.remove(waiter);
                waiter.complete(tx.snapshot); // decided before this command: the same outcome again
            }
        }
        if (waiter.isDone()) {
            return waiter;
        }
        Scheduler.Timer patience = scheduler.schedule(settings.outcomeWait(), () -> {
            forget(tx, waiter);
            waiter.complete(tx.snapshot()); // undecided still: the caller answers 202
        });
        return waiter.whenComplete((done, error) -> patience.cancel());
    }

    /**
     * Takes over a decided transaction from the log (a restart, or a dead node's) and drives it on.
     *
     * @param why for the history: a restart of this node, or a takeover of a dead one's
     */
    void adopt(StoredTransaction decided, String why) {
        LiveTransaction tx = new LiveTransaction(decided);
        tx.decisionDurable = decided.tx().decision() == Outcome.COMMITTED; // read from the log
        if (table.adopt(tx)) {
            history.record(tx.id, HistoryKind.TAKEN_OVER, null, Map.of("reason", why));
            // Its trace was not logged: a takeover starts one of its own, which its messages join.
            Tracing.Span span = tracing.start("verdict.takeover", null).set(Tracing.TRANSACTION, tx.id)
                    .set(Tracing.REASON, why).set(Tracing.STATE, decided.tx().state().name())
                    .set(Tracing.OUTCOME, String.valueOf(decided.tx().decision()));
            tx.trace = span;
            onEvent(tx, new Event.Recovered(), span);
        }
    }

    /**
     * An operator's command (docs/operator-api.md), applied like any other event; the step is
     * recorded in the history like any other, after the operator's own entry.
     *
     * @throws ServiceException.Rejected when the protocol refuses it in the transaction's state
     */
    StoredTransaction operator(LiveTransaction tx, Event command, Map<String, Object> action) {
        synchronized (tx) {
            history.record(tx.id, HistoryKind.OPERATOR_ACTION, (String) action.get("participant"), action);
        }
        Applied applied = apply(tx, command, Tracing.NONE);
        if (applied.rejection() != null) {
            throw new ServiceException.Rejected(applied.tx(), applied.rejection());
        }
        return applied.tx();
    }

    /** Sends now whatever waits on {@code participant} (an operator's retry, or deliveries resumed); how many. */
    int retryWaitingOn(String participant) {
        int retried = 0;
        for (LiveTransaction tx : table.all()) {
            if (tx.snapshot().tx().waitingOn().contains(participant)) {
                retryDue(tx);
                retried++;
            }
        }
        return retried;
    }

    /** Forgets every decided transaction: another node has taken them over (see {@link Recovery}). */
    int dropDecided() {
        int dropped = 0;
        for (LiveTransaction tx : table.all()) {
            synchronized (tx) {
                if (tx.deciding != null || tx.snapshot.tx().decision() == null) {
                    continue;
                }
                tx.finished = true;
                cancelTimers(tx);
            }
            table.drop(tx);
            dropped++;
        }
        return dropped;
    }

    /** An event from the driver itself: a reply, a timer. Failures are logged; timers bring it back. */
    void onEvent(LiveTransaction tx, Event event) {
        onEvent(tx, event, Tracing.NONE);
    }

    /** @param around a span (a retry's, a takeover's) the step's messages hang under; ended once they are answered */
    private void onEvent(LiveTransaction tx, Event event, Tracing.Span around) {
        try {
            apply(tx, event, around);
        } catch (RuntimeException e) {
            around.failed(e.toString()).end();
            LOG.errorf(e, "transaction %s: applying %s failed", tx.id, event.getClass().getSimpleName());
        }
    }

    /** A retry is due (a timer, or an operator): traced as a span its re-sent messages hang under. */
    private void retryDue(LiveTransaction tx) {
        Tracing.Span span = Tracing.NONE;
        if (tracing != Tracing.OFF) {
            Transaction now = tx.snapshot().tx();
            span = tracing.start("verdict.retry", tx.trace).set(Tracing.TRANSACTION, tx.id)
                    .set(Tracing.STATE, now.state().name())
                    .set(Tracing.ATTEMPT, now.branches().stream().mapToInt(b -> b.attempts()).max().orElse(0));
        }
        onEvent(tx, new Event.RetryDue(), span);
    }

    private record Applied(StoredTransaction tx, Rejection rejection) {}

    private Applied apply(LiveTransaction tx, Event event, Tracing.Span around) {
        Step step;
        StoredTransaction next;
        List<CompletableFuture<StoredTransaction>> decidedFor = List.of();
        synchronized (tx) {
            StoredTransaction before = tx.snapshot;
            if (tx.deciding != null) {
                // Its decision is being written: a command waits for that decision, a participant
                // can no longer join, and nothing may change a transaction whose fate the log settles.
                around.end();
                return new Applied(before, event instanceof Event.Enlist ? Rejection.NOT_ACTIVE : null);
            }
            if (tx.finished) {
                around.end();
                return new Applied(before, event instanceof Event.Enlist ? Rejection.NOT_ACTIVE : null);
            }
            step = Protocol.apply(before.tx(), event);
            if (step.isRejected()) {
                around.end();
                return new Applied(before, step.rejection());
            }
            if (step.next().equals(before.tx()) && step.effects().isEmpty()) {
                around.end();
                return new Applied(before, null);
            }
            Invariants.checkStep(before.tx(), step);
            phases.stepTaken(tx, before.tx(), step);
            next = stamp(before, step);
            if (step.durability() == Durability.FORCED) {
                tx.deciding = step;
                tx.decidingNext = next;
            } else {
                install(tx, step, next);
                decidedFor = decidedWaiters(tx, before);
            }
        }
        if (step.durability() == Durability.FORCED) {
            around.end();
            writeDecision(tx);
            return new Applied(next, null);
        }
        afterInstall(tx, step, next, decidedFor, around);
        return new Applied(next, null);
    }

    /** Sends a forced step's record to the log writer; resumes in {@link #decisionWritten}. */
    private void writeDecision(LiveTransaction tx) {
        StoredTransaction record;
        boolean decision;
        synchronized (tx) {
            record = tx.decidingNext;
            decision = isDecision(tx.snapshot, record);
        }
        if (decision) {
            crashPoints.reached("before-decision"); // votes are in; the decision is not yet written
        }
        Tracing.Span span = tracing.start("verdict.decision", tx.trace).set(Tracing.TRANSACTION, tx.id)
                .set(Tracing.OUTCOME, String.valueOf(record.tx().decision())).set(Tracing.STATE, record.tx().state().name());
        writer.force(record, decision, span).whenComplete((onRecord, error) -> {
            if (error != null) {
                span.failed("not confirmed by the log: " + error.getMessage());
            } else if (onRecord.isPresent() && onRecord.get() != record.tx().decision()) {
                span.set(Tracing.REASON, "fenced: another node recorded " + onRecord.get() + " first");
            }
            span.end();
            decisionWritten(tx, onRecord, error);
        });
    }

    private void decisionWritten(LiveTransaction tx, Optional<Outcome> onRecord, Throwable error) {
        if (error != null) {
            decisionUnconfirmed(tx, error);
            return;
        }
        Step step;
        StoredTransaction next;
        boolean fenced;
        boolean decision;
        List<CompletableFuture<StoredTransaction>> decidedFor = List.of();
        synchronized (tx) {
            step = tx.deciding;
            next = tx.decidingNext;
            StoredTransaction before = tx.snapshot;
            decision = isDecision(before, next);
            tx.deciding = null;
            tx.decidingNext = null;
            // Another record was there first. With the same outcome it is this node's own earlier
            // attempt, whose acknowledgement was lost; with another, a fence (I8).
            fenced = onRecord.isPresent() && onRecord.get() != next.tx().decision();
            if (!fenced) {
                if (decision) {
                    phases.decisionDurable(tx);
                }
                tx.decisionDurable = next.tx().decision() == Outcome.COMMITTED;
                install(tx, step, next);
                decidedFor = decidedWaiters(tx, before);
            }
        }
        if (fenced) {
            LOG.infof("transaction %s: another node recorded it as rolled back first; rolling back", tx.id);
            onEvent(tx, new Event.Fenced());
            return;
        }
        if (decision) {
            crashPoints.reached("after-decision"); // durable, but no participant and no client told yet
        }
        afterInstall(tx, step, next, decidedFor, Tracing.NONE);
    }

    /**
     * A forced record is the coordinator's commit decision, inserted only where no record exists,
     * or else a heuristic outcome, written whatever is there (a one-phase participant's mixed
     * outcome included: it is that participant's decision, not this node's).
     */
    private static boolean isDecision(StoredTransaction before, StoredTransaction next) {
        return before.tx().decision() == null && next.tx().state() != TransactionState.HEURISTIC;
    }

    /**
     * The group holding the decision failed: it may or may not be on record. Nobody may be told
     * either outcome. The same record is written again at once (a lost acknowledgement is then
     * found on record), and if that fails too, waiting clients hear that the log is unavailable
     * while the writing goes on, backing off, until the log answers.
     */
    private void decisionUnconfirmed(LiveTransaction tx, Throwable error) {
        List<CompletableFuture<StoredTransaction>> waiting = List.of();
        int attempt;
        synchronized (tx) {
            attempt = ++tx.decisionAttempts;
            if (attempt > 1) {
                waiting = List.copyOf(tx.waiters);
                tx.waiters.clear();
            }
        }
        LOG.warnf("transaction %s: decision not confirmed by the log (%s); writing it again", tx.id, error.getMessage());
        ServiceException failure = new ServiceException.LogUnavailable("The transaction log did not confirm the"
                + " decision of transaction " + tx.id + "; it is being written again.");
        waiting.forEach(w -> w.completeExceptionally(failure));
        scheduler.schedule(attempt == 1 ? Duration.ZERO : settings.retry().delay(attempt - 1), () -> writeDecision(tx));
    }

    /** Under the monitor: the step becomes the transaction's state, with its timers, and is recorded for people. */
    private void install(LiveTransaction tx, Step step, StoredTransaction next) {
        history.changed(tx.snapshot.tx(), next.tx());
        phases.installed(tx, tx.snapshot.tx().state(), next.tx().state());
        tx.snapshot = next;
        TransactionState state = next.tx().state();
        if (state.isDecided() && tx.expiry != null) {
            tx.expiry.cancel();
            tx.expiry = null;
        }
        for (Effect effect : step.effects()) {
            if (effect instanceof Effect.RetryLater r) {
                if (tx.retry != null) {
                    tx.retry.cancel();
                }
                tx.retry = scheduler.schedule(retryDelay(r), () -> retryDue(tx));
            }
        }
        if (state.isTerminal()) {
            tx.finished = true;
            cancelTimers(tx);
        }
    }

    /** Outside the monitor: record, forget, tell and send what the installed step asks for. */
    private void afterInstall(LiveTransaction tx, Step step, StoredTransaction next,
                              List<CompletableFuture<StoredTransaction>> decidedFor, Tracing.Span around) {
        if (step.durability() == Durability.LAZY) {
            writer.later(next);
        }
        if (next.tx().state().isTerminal()) {
            table.finish(tx, next);
            metrics.finished(next.tx().state());
        }
        decidedFor.forEach(w -> w.complete(next));
        Tracing.Parent parent = around == Tracing.NONE ? tx.trace : around;
        CompletionStage<?> sent = null;
        for (Effect effect : step.effects()) {
            if (!(effect instanceof Effect.RetryLater)) {
                CompletionStage<Event> one = send(tx, effect, parent);
                sent = sent == null || around == Tracing.NONE ? one : sent.thenCombine(one, (a, b) -> b);
            }
        }
        if (sent == null) {
            around.end();
        } else if (around != Tracing.NONE) {
            sent.whenComplete((done, error) -> around.end()); // a retry's or takeover's span: once its messages are answered
        }
    }

    private CompletionStage<Event> send(LiveTransaction tx, Effect effect, Tracing.Parent parent) {
        synchronized (tx) {
            if (effect instanceof Effect.SendCommit && !tx.decisionDurable) {
                throw new IllegalStateException("I3 violated: commit of " + tx.id + " about to be sent before its decision is durable");
            }
        }
        CompletionStage<Event> delivered = deliveries.deliver(tx.id, effect, parent);
        delivered.whenComplete((reply, error) -> {
            if (reply != null) {
                onEvent(tx, reply);
            } else {
                LOG.errorf(error, "transaction %s: delivery failed unexpectedly; retrying", tx.id);
                scheduler.schedule(settings.retry().max(), () -> onEvent(tx, new Event.RetryDue()));
            }
        });
        return delivered;
    }

    /** Under the monitor: the waiters to tell, if this step took the decision. */
    private static List<CompletableFuture<StoredTransaction>> decidedWaiters(LiveTransaction tx, StoredTransaction before) {
        boolean nowDecided = !before.tx().state().isDecided() && tx.snapshot.tx().state().isDecided();
        if (!nowDecided || tx.waiters.isEmpty()) {
            return List.of();
        }
        List<CompletableFuture<StoredTransaction>> waiting = new ArrayList<>(tx.waiters);
        tx.waiters.clear();
        return waiting;
    }

    private static void forget(LiveTransaction tx, CompletableFuture<StoredTransaction> waiter) {
        synchronized (tx) {
            tx.waiters.remove(waiter);
        }
    }

    private static void cancelTimers(LiveTransaction tx) {
        if (tx.expiry != null) {
            tx.expiry.cancel();
            tx.expiry = null;
        }
        if (tx.retry != null) {
            tx.retry.cancel();
            tx.retry = null;
        }
    }

    /** Held deliveries (paused participants) look again at the longest delay: resuming retries at once. */
    private Duration retryDelay(Effect.RetryLater r) {
        return r.held() ? settings.retry().max() : settings.retry().delay(r.attempt());
    }

    /** Stamps the times the snapshot carries for people: decided, completed, next attempt. */
    private StoredTransaction stamp(StoredTransaction before, Step step) {
        Transaction tx = step.next();
        Instant now = clock.instant();
        Instant decidedAt = before.decidedAt() == null && tx.decision() != null ? now : before.decidedAt();
        Instant completedAt = tx.state().isTerminal() ? now : null;
        Instant nextAttempt = step.effects().stream().filter(e -> e instanceof Effect.RetryLater)
                .map(e -> now.plus(retryDelay((Effect.RetryLater) e))).findFirst().orElse(null);
        return new StoredTransaction(tx, before.createdAt(), before.expiresAt(), decidedAt, completedAt, nextAttempt,
                before.beganBy());
    }
}
