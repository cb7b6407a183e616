package dev.verdict.coordinator.service;

import dev.verdict.coordinator.port.HistoryFeed;
import dev.verdict.coordinator.model.HistoryEntry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * One consumer of the event stream: a bounded queue and a pump that keeps exactly one write in
 * flight. Entries the feed offers beyond the bound are not buffered: the consumer is told to
 * reconnect from the last entry it was sent ({@code overflow}), and the stream ends. If even
 * that cannot be written (the consumer reads nothing at all), the connection is cut.
 *
 * <p>{@link #cursor} and {@link #live} belong to the feed's thread; the rest is guarded by this object.
 */
final class EventSubscriber {

    /** Entries per write: one chunk on the wire, one completion to wait for. */
    private static final int WRITE_BATCH = 256;

    final HistoryFeed.Filter filter;
    private final EventSink sink;
    private final int maxQueued;
    private final LongSupplier nanoTime;

    /** The last id this subscriber was offered or skipped past. Feed thread only. */
    long cursor;
    /** Caught up with the feed: the live poll offers it entries. Feed thread only. */
    boolean live;

    private final ArrayDeque<HistoryEntry> queue = new ArrayDeque<>();
    private String comment;
    private boolean writing;
    private long writeStarted;
    private long lastWrite;
    /**
     * The last id handed to the sink. Writes reach the wire in the order they are handed over and
     * the overflow notice is handed over last, so a reader that gets the notice has received
     * everything up to this id: it is where the notice tells the reader to resume.
     */
    private long lastSent;
    private boolean overflowed;
    private long overflowedAt;
    /** Nothing more is written. */
    private boolean ended;
    /** The sink was ended or cut. */
    private boolean closed;

    EventSubscriber(HistoryFeed.Filter filter, EventSink sink, int maxQueued, LongSupplier nanoTime) {
        this.filter = filter;
        this.sink = sink;
        this.maxQueued = maxQueued;
        this.nanoTime = nanoTime;
        this.lastWrite = nanoTime.getAsLong();
    }

    /** Admitted by the feed: the stream starts after {@code after}. */
    void start(long after, boolean caughtUp) {
        cursor = after;
        live = caughtUp;
        synchronized (this) {
            lastSent = after;
            comment = "stream after id " + after;
        }
        pump();
    }

    /** Free places in the queue: a catching-up read takes no more than this, so catching up never overflows. */
    synchronized int room() {
        return overflowed || ended ? 0 : maxQueued - queue.size();
    }

    /**
     * Queues the entries after the cursor that match the filter, and moves the cursor past them all.
     * @return false when the queue overflowed: the subscriber is ending
     */
    boolean offer(List<HistoryEntry> entries) {
        boolean fits = true;
        synchronized (this) {
            for (HistoryEntry e : entries) {
                if (e.id() <= cursor || !filter.matches(e) || overflowed || ended) {
                    continue;
                }
                if (queue.size() >= maxQueued) {
                    overflowed = true;
                    overflowedAt = nanoTime.getAsLong();
                    queue.clear();
                    fits = false;
                    break;
                }
                queue.addLast(e);
            }
        }
        if (!entries.isEmpty()) {
            cursor = Math.max(cursor, entries.get(entries.size() - 1).id());
        }
        pump();
        return fits;
    }

    /**
     * The feed's periodic look: a keep-alive comment when nothing was written for {@code idleNanos};
     * the connection cut when the overflow notice could not be written within {@code stuckNanos}
     * of the overflow, or when any write has been stuck for twice that (a consumer that reads
     * nothing at all must not hold a subscriber's place).
     */
    void tick(long idleNanos, long stuckNanos) {
        boolean cut;
        synchronized (this) {
            long now = nanoTime.getAsLong();
            long stuck = writing ? now - writeStarted : 0;
            long sinceOverflow = overflowed ? now - overflowedAt : 0;
            cut = !closed && writing && (sinceOverflow > stuckNanos || stuck > 2 * stuckNanos);
            if (cut) {
                ended = true;
                closed = true;
            } else if (!writing && queue.isEmpty() && comment == null && now - lastWrite > idleNanos) {
                comment = "keep-alive";
            }
        }
        if (cut) {
            sink.cut();
        } else {
            pump();
        }
    }

    synchronized boolean isOver() {
        return closed || !sink.isOpen();
    }

    /** Ends the stream (the node is stopping). */
    void end() {
        synchronized (this) {
            if (closed) {
                return;
            }
            ended = true;
            closed = true;
        }
        sink.end();
    }

    private void pump() {
        CompletionStage<Void> write;
        synchronized (this) {
            if (writing || ended || !sink.isOpen()) {
                return;
            }
            if (comment != null) {
                write = sink.comment(comment);
                comment = null;
            } else if (!queue.isEmpty()) {
                List<HistoryEntry> batch = new ArrayList<>(Math.min(queue.size(), WRITE_BATCH));
                while (!queue.isEmpty() && batch.size() < WRITE_BATCH) {
                    batch.add(queue.removeFirst());
                }
                lastSent = batch.get(batch.size() - 1).id();
                write = sink.entries(batch);
            } else if (overflowed) {
                ended = true;
                write = sink.overflow(lastSent, maxQueued);
            } else {
                return;
            }
            writing = true;
            writeStarted = nanoTime.getAsLong();
        }
        write.whenComplete((ok, error) -> written(error));
    }

    private void written(Throwable error) {
        boolean finish;
        synchronized (this) {
            writing = false;
            lastWrite = nanoTime.getAsLong();
            if (error != null) {
                ended = true;
            }
            finish = ended && !closed;
            closed |= finish;
        }
        if (finish) {
            sink.end();
        } else if (!closed) {
            pump();
        }
    }
}
