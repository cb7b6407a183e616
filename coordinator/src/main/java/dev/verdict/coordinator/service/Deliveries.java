package dev.verdict.coordinator.service;

import dev.verdict.coordinator.core.Effect;
import dev.verdict.coordinator.core.Event;
import dev.verdict.coordinator.core.Reply;
import dev.verdict.coordinator.port.ParticipantClient;
import dev.verdict.coordinator.model.Callback;
import dev.verdict.coordinator.model.Pause;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;

/**
 * Turns a send effect into calls (all in parallel) and their replies into the event that reports
 * them. The returned stage never fails: every problem is a {@link Reply.Failed} inside the event.
 */
public final class Deliveries {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(Deliveries.class);

    private final ParticipantClient client;
    private final ParticipantRegistry registry;
    private final DeliveryStats stats;

    /** @param registry how a registered participant is called (empty once deregistered), and whether it is paused */
    Deliveries(ParticipantClient client, ParticipantRegistry registry, DeliveryStats stats) {
        this.client = client;
        this.registry = registry;
        this.stats = stats;
    }

    CompletionStage<Event> deliver(String txId, Effect effect) {
        if (effect instanceof Effect.SendPrepare s) {
            return round(txId, s.participants(), client::prepare, false).thenApply(Event.VotesReceived::new);
        }
        if (effect instanceof Effect.SendCommit s) {
            return round(txId, s.participants(), client::commit, true).thenApply(Event.PhaseTwoReplied::new);
        }
        if (effect instanceof Effect.SendRollback s) {
            return round(txId, s.participants(), client::rollback, true).thenApply(Event.PhaseTwoReplied::new);
        }
        if (effect instanceof Effect.SendOnePhaseCommit s) {
            return call(txId, s.participant(), client::commitOnePhase, true).thenApply(Event.OnePhaseReplied::new);
        }
        throw new IllegalArgumentException("not a delivery: " + effect);
    }

    /** @param holdable whether a pause holds the message back; a prepare is not held: the transaction would wait for its votes */
    private CompletionStage<Map<String, Reply>> round(String txId, List<String> participants,
                                                      BiFunction<Callback, String, CompletionStage<Reply>> send,
                                                      boolean holdable) {
        Map<String, CompletableFuture<Reply>> calls = new LinkedHashMap<>();
        for (String p : participants) {
            calls.put(p, call(txId, p, send, holdable).toCompletableFuture());
        }
        return CompletableFuture.allOf(calls.values().toArray(CompletableFuture[]::new)).thenApply(done -> {
            Map<String, Reply> replies = new LinkedHashMap<>();
            calls.forEach((p, f) -> replies.put(p, f.join()));
            return replies;
        });
    }

    private CompletionStage<Reply> call(String txId, String participant,
                                        BiFunction<Callback, String, CompletionStage<Reply>> send, boolean holdable) {
        Optional<Pause> pause = registry.paused(participant);
        if (pause.isPresent()) {
            String why = "deliveries to '" + participant + "' are paused by " + pause.get().by() + ": " + pause.get().reason();
            return CompletableFuture.completedFuture(holdable ? new Reply.Held(why) : new Reply.Failed(why));
        }
        return registry.callback(participant)
                .map(callback -> send.apply(callback, txId).exceptionally(t -> (Reply) new Reply.Failed(String.valueOf(t)))
                        .whenComplete((reply, error) -> observed(txId, participant, reply)))
                .orElseGet(() -> CompletableFuture.completedFuture(
                        new Reply.Failed("participant '" + participant + "' is no longer registered")));
    }

    private void observed(String txId, String participant, Reply reply) {
        LOG.debugf("transaction %s: %s answered %s", txId, participant, reply);
        if (reply instanceof Reply.Failed f) {
            stats.failed(participant, f.error());
        } else {
            stats.succeeded(participant);
        }
    }
}
