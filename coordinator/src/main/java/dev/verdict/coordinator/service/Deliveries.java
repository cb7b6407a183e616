package dev.verdict.coordinator.service;

import dev.verdict.coordinator.core.Effect;
import dev.verdict.coordinator.core.Event;
import dev.verdict.coordinator.core.Reply;
import dev.verdict.coordinator.port.ParticipantClient;
import dev.verdict.coordinator.port.Tracing;
import dev.verdict.coordinator.model.Callback;
import dev.verdict.coordinator.model.Pause;
import dev.verdict.protocol.Outcome;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Turns a send effect into calls (all in parallel) and their replies into the event that reports
 * them. The returned stage never fails: every problem is a {@link Reply.Failed} inside the event.
 * Traced as a round (prepare, or phase 2) with a span per call under it; a one-phase commit is one
 * call. Each call's span travels with the call (its {@code traceparent}).
 */
public final class Deliveries {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(Deliveries.class);

    private final ParticipantClient client;
    private final ParticipantRegistry registry;
    private final DeliveryStats stats;
    private final Tracing tracing;

    /** One call to one participant, carrying its span. */
    private interface Send {
        CompletionStage<Reply> send(Callback callback, String transactionId, Tracing.Span span);
    }

    /** @param registry how a registered participant is called (empty once deregistered), and whether it is paused */
    Deliveries(ParticipantClient client, ParticipantRegistry registry, DeliveryStats stats, Tracing tracing) {
        this.client = client;
        this.registry = registry;
        this.stats = stats;
        this.tracing = tracing;
    }

    /** @param parent where the round's span hangs in the transaction's trace */
    CompletionStage<Event> deliver(String txId, Effect effect, Tracing.Parent parent) {
        if (effect instanceof Effect.SendPrepare s) {
            Tracing.Span round = round("verdict.prepare-round", txId, parent, null);
            return round(txId, s.participants(), "verdict.prepare", client::prepare, false, round)
                    .thenApply(Event.VotesReceived::new);
        }
        if (effect instanceof Effect.SendCommit s) {
            Tracing.Span round = round("verdict.phase2", txId, parent, Outcome.COMMITTED);
            return round(txId, s.participants(), "verdict.commit", client::commit, true, round)
                    .thenApply(Event.PhaseTwoReplied::new);
        }
        if (effect instanceof Effect.SendRollback s) {
            Tracing.Span round = round("verdict.phase2", txId, parent, Outcome.ROLLED_BACK);
            return round(txId, s.participants(), "verdict.rollback", client::rollback, true, round)
                    .thenApply(Event.PhaseTwoReplied::new);
        }
        if (effect instanceof Effect.SendOnePhaseCommit s) {
            return call(txId, s.participant(), "verdict.commit-one-phase", client::commitOnePhase, true, parent)
                    .thenApply(Event.OnePhaseReplied::new);
        }
        throw new IllegalArgumentException("not a delivery: " + effect);
    }

    private Tracing.Span round(String name, String txId, Tracing.Parent parent, Outcome outcome) {
        Tracing.Span round = tracing.start(name, parent).set(Tracing.TRANSACTION, txId);
        return outcome == null ? round : round.set(Tracing.OUTCOME, outcome.name());
    }

    /** @param holdable whether a pause holds the message back; a prepare is not held: the transaction would wait for its votes */
    private CompletionStage<Map<String, Reply>> round(String txId, List<String> participants, String callName, Send send,
                                                      boolean holdable, Tracing.Span round) {
        Map<String, CompletableFuture<Reply>> calls = new LinkedHashMap<>();
        for (String p : participants) {
            calls.put(p, call(txId, p, callName, send, holdable, round).toCompletableFuture());
        }
        return CompletableFuture.allOf(calls.values().toArray(CompletableFuture[]::new)).thenApply(done -> {
            Map<String, Reply> replies = new LinkedHashMap<>();
            calls.forEach((p, f) -> replies.put(p, f.join()));
            round.end();
            return replies;
        });
    }

    private CompletionStage<Reply> call(String txId, String participant, String name, Send send, boolean holdable,
                                        Tracing.Parent parent) {
        Tracing.Span span = tracing.startCall(name, parent).set(Tracing.TRANSACTION, txId)
                .set(Tracing.PARTICIPANT, participant);
        Optional<Pause> pause = registry.paused(participant);
        if (pause.isPresent()) {
            String why = "deliveries to '" + participant + "' are paused by " + pause.get().by() + ": " + pause.get().reason();
            Reply reply = holdable ? new Reply.Held(why) : new Reply.Failed(why);
            traced(span, reply);
            return CompletableFuture.completedFuture(reply);
        }
        return registry.callback(participant)
                .map(callback -> send.send(callback, txId, span).exceptionally(t -> (Reply) new Reply.Failed(String.valueOf(t)))
                        .whenComplete((reply, error) -> observed(txId, participant, reply, span)))
                .orElseGet(() -> {
                    Reply gone = new Reply.Failed("participant '" + participant + "' is no longer registered");
                    traced(span, gone);
                    return CompletableFuture.completedFuture(gone);
                });
    }

    /** What the call's span says about its reply; then it ends. */
    private static void traced(Tracing.Span span, Reply reply) {
        if (span == Tracing.NONE) {
            return;
        }
        if (reply instanceof Reply.Voted v) {
            span.set(Tracing.VOTE, v.vote().name());
        } else if (reply instanceof Reply.Finished f) {
            span.set(Tracing.OUTCOME, f.outcome().name());
        } else if (reply instanceof Reply.Held h) {
            span.set(Tracing.REASON, "held: " + h.why());
        } else if (reply instanceof Reply.Failed f) {
            span.failed(f.error());
        }
        span.end();
    }

    private void observed(String txId, String participant, Reply reply, Tracing.Span span) {
        traced(span, reply);
        LOG.debugf("transaction %s: %s answered %s", txId, participant, reply);
        if (reply instanceof Reply.Failed f) {
            stats.failed(participant, f.error());
        } else {
            stats.succeeded(participant);
        }
    }
}
