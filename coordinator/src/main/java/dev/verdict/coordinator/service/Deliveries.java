package dev.verdict.coordinator.service;

import dev.verdict.coordinator.core.Effect;
import dev.verdict.coordinator.core.Event;
import dev.verdict.coordinator.core.Reply;
import dev.verdict.coordinator.port.ParticipantClient;
import dev.verdict.coordinator.model.Callback;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Turns a send effect into calls (all in parallel) and their replies into the event that reports
 * them. The returned stage never fails: every problem is a {@link Reply.Failed} inside the event.
 */
public final class Deliveries {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(Deliveries.class);

    private final ParticipantClient client;
    private final Function<String, Optional<Callback>> callbacks;

    /** @param callbacks how a registered participant is called; empty once it is deregistered */
    public Deliveries(ParticipantClient client, Function<String, Optional<Callback>> callbacks) {
        this.client = client;
        this.callbacks = callbacks;
    }

    CompletionStage<Event> deliver(String txId, Effect effect) {
        if (effect instanceof Effect.SendPrepare s) {
            return round(txId, s.participants(), client::prepare).thenApply(Event.VotesReceived::new);
        }
        if (effect instanceof Effect.SendCommit s) {
            return round(txId, s.participants(), client::commit).thenApply(Event.PhaseTwoReplied::new);
        }
        if (effect instanceof Effect.SendRollback s) {
            return round(txId, s.participants(), client::rollback).thenApply(Event.PhaseTwoReplied::new);
        }
        if (effect instanceof Effect.SendOnePhaseCommit s) {
            return call(txId, s.participant(), client::commitOnePhase).thenApply(Event.OnePhaseReplied::new);
        }
        throw new IllegalArgumentException("not a delivery: " + effect);
    }

    private CompletionStage<Map<String, Reply>> round(String txId, List<String> participants,
                                                      BiFunction<Callback, String, CompletionStage<Reply>> send) {
        Map<String, CompletableFuture<Reply>> calls = new LinkedHashMap<>();
        for (String p : participants) {
            calls.put(p, call(txId, p, send).toCompletableFuture());
        }
        return CompletableFuture.allOf(calls.values().toArray(CompletableFuture[]::new)).thenApply(done -> {
            Map<String, Reply> replies = new LinkedHashMap<>();
            calls.forEach((p, f) -> replies.put(p, f.join()));
            return replies;
        });
    }

    private CompletionStage<Reply> call(String txId, String participant,
                                        BiFunction<Callback, String, CompletionStage<Reply>> send) {
        return callbacks.apply(participant)
                .map(callback -> send.apply(callback, txId).exceptionally(t -> (Reply) new Reply.Failed(String.valueOf(t)))
                        .whenComplete((reply, error) -> LOG.debugf("transaction %s: %s answered %s", txId, participant, reply)))
                .orElseGet(() -> CompletableFuture.completedFuture(
                        new Reply.Failed("participant '" + participant + "' is no longer registered")));
    }
}
