package dev.verdict.coordinator.port;

import dev.verdict.coordinator.core.Reply;
import dev.verdict.coordinator.model.Callback;
import java.util.concurrent.CompletionStage;

/**
 * Calls one participant. Every stage completes normally: a failure of any kind (refused, reset,
 * timed out, error status, unreadable body) is a {@link Reply.Failed}, never an exception. Each
 * call carries its span's trace ({@link Tracing.Span#inject}); the caller ends the span.
 */
public interface ParticipantClient {

    CompletionStage<Reply> prepare(Callback callback, String transactionId, Tracing.Span span);

    CompletionStage<Reply> commit(Callback callback, String transactionId, Tracing.Span span);

    CompletionStage<Reply> rollback(Callback callback, String transactionId, Tracing.Span span);

    CompletionStage<Reply> commitOnePhase(Callback callback, String transactionId, Tracing.Span span);
}
