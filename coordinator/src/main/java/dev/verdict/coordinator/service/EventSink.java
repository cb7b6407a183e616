package dev.verdict.coordinator.service;

import dev.verdict.coordinator.model.HistoryEntry;
import dev.verdict.coordinator.port.HistoryFeed;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Where one subscriber's events go: an open HTTP response in production. Each write completes
 * once its bytes have left for the network, and fails if the connection is gone. A subscriber
 * has at most one write outstanding, so a consumer that stops reading stops its own writes there
 * (the kernel's buffers fill) and its queue, not the coordinator, takes the strain.
 */
public interface EventSink {

    CompletionStage<Void> entries(List<HistoryEntry> entries);

    /** A line readers ignore: where the stream starts, or that it is still alive. */
    CompletionStage<Void> comment(String text);

    /** The consumer fell behind; it should reconnect from {@code lastId}, the last entry it was sent. */
    CompletionStage<Void> overflow(long lastId, int maxQueued);

    /** Ends the stream cleanly. */
    void end();

    /** Closes the connection: for a consumer that reads nothing, so even the end cannot reach it. */
    void cut();

    boolean isOpen();
}
