package dev.verdict.coordinator.port;

import dev.verdict.coordinator.core.Reply;
import java.net.URI;
import java.util.concurrent.CompletionStage;

/**
 * Calls one participant. Every stage completes normally: a failure of any kind (refused, reset,
 * timed out, error status, unreadable body) is a {@link Reply.Failed}, never an exception.
 */
public interface ParticipantClient {

    CompletionStage<Reply> prepare(URI callbackUrl, String transactionId);

    CompletionStage<Reply> commit(URI callbackUrl, String transactionId);

    CompletionStage<Reply> rollback(URI callbackUrl, String transactionId);

    CompletionStage<Reply> commitOnePhase(URI callbackUrl, String transactionId);
}
