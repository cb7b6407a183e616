package dev.verdict.coordinator.service;

import dev.verdict.coordinator.core.Event;
import dev.verdict.coordinator.core.HistoryKind;
import dev.verdict.coordinator.core.Protocol;
import dev.verdict.coordinator.core.Rejection;
import dev.verdict.coordinator.core.Step;
import dev.verdict.coordinator.core.TransactionIds;
import dev.verdict.coordinator.core.TransactionState;
import dev.verdict.coordinator.model.Acknowledgement;
import dev.verdict.coordinator.model.AuditEntry;
import dev.verdict.coordinator.model.HistoryEntry;
import dev.verdict.coordinator.model.Pause;
import dev.verdict.coordinator.model.StoredTransaction;
import dev.verdict.coordinator.port.AuditTrail;
import dev.verdict.coordinator.port.StoreUnavailable;
import dev.verdict.protocol.Outcome;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * What an operator may do (docs/operator-api.md), each with a reason, recorded in the audit log
 * before it takes effect and in the transaction's history. A command is first checked against the
 * protocol on the current snapshot, so a refused action writes nothing; it then goes through the
 * driver like any event, so an operator can do nothing the protocol forbids (a decision never
 * changes: I2). Blocking: the audit log is written before the answer.
 */
public final class OperatorActions {

    /** What an action did: the transaction as it stands after it, and its audit entry. */
    public record Acted(StoredTransaction tx, AuditEntry audit) {}

    private final LiveTransactions table;
    private final TransactionDriver driver;
    private final TransactionService service;
    private final ParticipantRegistry registry;
    private final AuditTrail audit;
    private final History history;
    private final ThisNode node;
    private final Clock clock;

    OperatorActions(LiveTransactions table, TransactionDriver driver, TransactionService service,
                    ParticipantRegistry registry, AuditTrail audit, History history, ThisNode node, Clock clock) {
        this.table = table;
        this.driver = driver;
        this.service = service;
        this.registry = registry;
        this.audit = audit;
        this.history = history;
        this.node = node;
        this.clock = clock;
    }

    /** One transaction's history, oldest first. */
    public List<HistoryEntry> history(String id, int limit) {
        if (!TransactionIds.isWellFormed(id)) {
            throw TransactionService.notAnId();
        }
        return history.of(id, limit);
    }

    public Acted retry(String id, Caller caller, String reason) {
        LiveTransaction live = live(id, caller);
        StoredTransaction now = live.snapshot();
        TransactionState state = now.tx().state();
        boolean resendable = state == TransactionState.COMMITTING || state == TransactionState.ROLLING_BACK
                || state == TransactionState.PREPARING && now.tx().isOnePhase();
        if (!resendable) {
            throw new ServiceException.Rejected(now, Rejection.NOT_WAITING);
        }
        return act(live, new Event.RetryDue(), entry(caller, "RETRY", id, null, reason, Map.of()));
    }

    public Acted rollback(String id, Caller caller, String reason) {
        LiveTransaction live = live(id, caller);
        return act(live, new Event.OperatorRollback(reason), entry(caller, "ROLLBACK", id, null, reason, Map.of()));
    }

    public Acted resolveBranch(String id, String participant, Outcome applied, Caller caller, String reason) {
        LiveTransaction live = live(id, caller);
        return act(live, new Event.Resolved(participant, applied),
                entry(caller, "RESOLVE_BRANCH", id, participant, reason, Map.of("applied", applied.name())));
    }

    /** The outcome of a one-phase commit whose only participant cannot answer, as verified there. */
    public Acted recordOutcome(String id, Outcome outcome, Caller caller, String reason) {
        LiveTransaction live = live(id, caller);
        StoredTransaction now = live.snapshot();
        if (!(now.tx().state() == TransactionState.PREPARING && now.tx().isOnePhase())) {
            throw new ServiceException.Rejected(now, now.tx().state().isDecided() ? Rejection.NOT_WAITING : Rejection.UNDECIDED);
        }
        String participant = now.tx().branches().get(0).participant();
        return act(live, new Event.Resolved(participant, outcome),
                entry(caller, "RECORD_OUTCOME", id, participant, reason, Map.of("outcome", outcome.name())));
    }

    /** A heuristic outcome reconciled by hand: it leaves the in-doubt lists; the log keeps it. */
    public Acted acknowledge(String id, Caller caller, String reason) {
        StoredTransaction tx = join(service.find(id, caller));
        if (tx.tx().state() != TransactionState.HEURISTIC) {
            throw new ServiceException.Rejected(tx, Rejection.NOT_WAITING);
        }
        AuditEntry recorded;
        try {
            recorded = audit.acknowledgeHeuristic(entry(caller, "ACKNOWLEDGE", id, null, reason, Map.of()))
                    .orElseThrow(() -> new ServiceException.Rejected(tx, Rejection.NOT_WAITING));
        } catch (StoreUnavailable e) {
            throw unrecorded(e);
        }
        history.record(id, HistoryKind.OPERATOR_ACTION, null, detail(recorded));
        StoredTransaction acknowledged = new StoredTransaction(tx.tx(), tx.createdAt(), tx.expiresAt(), tx.decidedAt(),
                tx.completedAt(), tx.dueAt(), tx.beganBy(), new Acknowledgement(recorded.at(), recorded.actor(), reason));
        return new Acted(acknowledged, recorded);
    }

    public AuditEntry pause(String participant, Caller caller, String reason) {
        return onParticipant(participant, "PAUSE", caller, reason, HistoryKind.PARTICIPANT_PAUSED,
                recorded -> registry.pause(participant, new Pause(recorded.at(), caller.id(), reason)));
    }

    public AuditEntry resume(String participant, Caller caller, String reason) {
        return onParticipant(participant, "RESUME", caller, reason, HistoryKind.PARTICIPANT_RESUMED,
                recorded -> registry.resume(participant));
    }

    /** Sends now everything this node holds that waits on the participant. */
    public AuditEntry retryParticipant(String participant, Caller caller, String reason) {
        return onParticipant(participant, "RETRY_PARTICIPANT", caller, reason, null,
                recorded -> driver.retryWaitingOn(participant));
    }

    /** A registered participant's action: audited, then taken, then (for a lasting change) in the history. */
    private AuditEntry onParticipant(String participant, String action, Caller caller, String reason, HistoryKind kind,
                                     Consumer<AuditEntry> effect) {
        registry.find(participant);
        AuditEntry recorded = append(entry(caller, action, null, participant, reason, Map.of()));
        effect.accept(recorded);
        if (kind != null) {
            history.record(null, kind, participant, detail(recorded));
        }
        return recorded;
    }

    /** Checks the command on the snapshot, records it, then applies it through the driver. */
    private Acted act(LiveTransaction live, Event command, AuditEntry entry) {
        Step dryRun = Protocol.apply(live.snapshot().tx(), command);
        if (dryRun.isRejected()) {
            throw new ServiceException.Rejected(live.snapshot(), dryRun.rejection());
        }
        AuditEntry recorded = append(entry);
        return new Acted(driver.operator(live, command, detail(recorded)), recorded);
    }

    /** The transaction in this node's memory; the API has sent the request to its owner if another node holds it. */
    private LiveTransaction live(String id, Caller caller) {
        LiveTransaction live = table.get(id);
        if (live != null) {
            return live;
        }
        StoredTransaction known = join(service.find(id, caller)); // not found: thrown here
        if (!known.tx().state().isTerminal()) {
            throw new ServiceException.NotReady("Transaction " + id + " is being taken over from a node that stopped;"
                    + " retry in a few seconds.");
        }
        throw new ServiceException.Rejected(known, Rejection.NOT_WAITING);
    }

    private AuditEntry entry(Caller caller, String action, String id, String participant, String reason,
                             Map<String, Object> detail) {
        if (reason == null || reason.isBlank() || reason.length() > 1000) {
            throw new ServiceException.Invalid("Field 'reason' is required: 1 to 1000 characters saying why (it is"
                    + " recorded in the audit log with who acted).");
        }
        return new AuditEntry(0, clock.instant(), node.name(), caller.id(), action, id, participant, reason.strip(), detail);
    }

    private AuditEntry append(AuditEntry entry) {
        try {
            return audit.append(entry);
        } catch (StoreUnavailable e) {
            throw unrecorded(e);
        }
    }

    private static ServiceException unrecorded(StoreUnavailable e) {
        return new ServiceException.LogUnavailable("The audit log could not record the action, so it was not taken: "
                + e.getMessage() + ". Retry when the database answers.");
    }

    private static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private static Map<String, Object> detail(AuditEntry e) {
        Map<String, Object> detail = new LinkedHashMap<>(e.detail());
        detail.put("action", e.action());
        detail.put("actor", e.actor());
        detail.put("reason", e.reason());
        detail.put("auditId", e.id());
        if (e.participant() != null) {
            detail.put("participant", e.participant());
        }
        return detail;
    }
}
