package dev.verdict.coordinator.service;

import dev.verdict.coordinator.metrics.VerdictMetrics;
import dev.verdict.coordinator.port.HistoryFeed;
import dev.verdict.coordinator.model.HistoryEntry;
import dev.verdict.coordinator.port.Scheduler;
import dev.verdict.coordinator.port.StoreUnavailable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The live event stream of one node (GET /events): one poller reads the history table by id and
 * fans what is new out to every subscriber; however many subscribe, the database sees one query per
 * poll interval, and none while nobody listens. A subscriber reconnecting from an older id first
 * catches up with reads of its own, each no larger than its free queue, so catching up never
 * overflows it; then it joins the live fan-out.
 *
 * <p>All reads and all cursor moves happen on {@code thread}, one tick at a time.
 */
public final class EventFeed {

    private static final Logger LOG = Logger.getLogger(EventFeed.class);
    /** Rows per read; a tick reads at most {@link #MAX_READS} of them for the live fan-out. */
    static final int BATCH = 500;
    private static final int MAX_READS = 8;

    /**
     * @param keepAlive a comment goes to a stream idle this long; a write stuck this long after an overflow cuts it
     */
    public record Settings(Duration pollInterval, int maxQueued, int maxSubscribers, Duration keepAlive) {}

    private final HistoryFeed feed;
    private final Scheduler scheduler;
    private final Executor thread;
    private final Settings settings;
    private final VerdictMetrics metrics;

    private final AtomicInteger admitted = new AtomicInteger();
    private final ConcurrentLinkedQueue<Joining> joining = new ConcurrentLinkedQueue<>();
    /** Feed thread only. */
    private final List<EventSubscriber> subscribers = new ArrayList<>();
    /** The newest id the fan-out has read; -1 while nobody listens (feed thread only). */
    private long position = -1;
    private final Object lock = new Object();
    private boolean polling;
    private boolean stopped;

    private record Joining(EventSubscriber subscriber, OptionalLong since) {}

    public EventFeed(HistoryFeed feed, Scheduler scheduler, Executor thread, Settings settings, VerdictMetrics metrics) {
        this.feed = feed;
        this.scheduler = scheduler;
        this.thread = thread;
        this.settings = settings;
        this.metrics = metrics;
        metrics.eventSubscribers(admitted::get);
    }

    /**
     * Streams the entries after {@code since} (or, without it, from now on) that match {@code filter} to {@code sink}.
     *
     * @throws ServiceException.AtCapacity when this node already streams to {@code max-subscribers}
     */
    public void subscribe(HistoryFeed.Filter filter, OptionalLong since, EventSink sink) {
        if (admitted.incrementAndGet() > settings.maxSubscribers()) {
            admitted.decrementAndGet();
            metrics.refused("events-subscribers");
            throw new ServiceException.AtCapacity("This coordinator node already streams events to "
                    + settings.maxSubscribers() + " subscribers, its limit (verdict.events.max-subscribers). Retry"
                    + " shortly or on another node; close streams nobody reads.");
        }
        joining.add(new Joining(new EventSubscriber(filter, sink, settings.maxQueued(), scheduler::nanoTime), since));
        synchronized (lock) {
            if (polling || stopped) {
                return;
            }
            polling = true;
        }
        thread.execute(this::tick);
    }

    public int subscribers() {
        return admitted.get();
    }

    /** Ends every stream; nobody is admitted after. */
    public void stop() {
        synchronized (lock) {
            stopped = true;
        }
        thread.execute(() -> {
            subscribers.forEach(EventSubscriber::end);
            subscribers.clear();
            for (Joining j; (j = joining.poll()) != null; ) {
                j.subscriber().end();
            }
        });
    }

    private void tick() {
        try {
            admit();
            fanOut();
            catchUp();
            long keepAlive = settings.keepAlive().toNanos();
            subscribers.forEach(s -> s.tick(keepAlive, keepAlive));
        } catch (StoreUnavailable e) {
            LOG.warnf("event stream: history not readable (%s); trying again", e.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf(e, "event stream: a poll failed");
        } finally {
            forgetFinished();
            next();
        }
    }

    private void admit() {
        for (Joining j; (j = joining.peek()) != null; joining.poll()) {
            if (position < 0) {
                position = feed.newest(); // may fail: the subscriber stays waiting, and the next tick tries again
            }
            long from = j.since().orElse(position);
            j.subscriber().start(from, from >= position);
            subscribers.add(j.subscriber());
        }
    }

    /** One query for every live subscriber, whatever its filter: they each keep what matches. */
    private void fanOut() {
        for (int reads = 0; reads < MAX_READS; reads++) {
            List<HistoryEntry> fresh = feed.after(position, Long.MAX_VALUE, HistoryFeed.Filter.ALL, BATCH);
            if (fresh.isEmpty()) {
                return;
            }
            position = fresh.get(fresh.size() - 1).id();
            for (EventSubscriber s : subscribers) {
                if (s.live && !s.offer(fresh)) {
                    metrics.eventOverflow();
                }
            }
            if (fresh.size() < BATCH) {
                return;
            }
        }
    }

    /** Subscribers behind the fan-out read, with their filter, as much as their queues can take. */
    private void catchUp() {
        for (EventSubscriber s : subscribers) {
            int room = Math.min(s.room(), BATCH);
            if (s.live || room == 0) {
                continue;
            }
            List<HistoryEntry> missed = feed.after(s.cursor, position, s.filter, room);
            s.offer(missed);
            if (missed.size() < room) {
                s.cursor = position;
                s.live = true;
            }
        }
    }

    private void forgetFinished() {
        int before = subscribers.size();
        subscribers.removeIf(EventSubscriber::isOver);
        admitted.addAndGet(subscribers.size() - before);
    }

    private void next() {
        synchronized (lock) {
            if (stopped || subscribers.isEmpty() && joining.isEmpty()) {
                polling = false;
                position = -1; // nobody listens: the next subscriber starts from the newest id then
                return;
            }
        }
        try {
            scheduler.schedule(settings.pollInterval(), () -> {
                try {
                    thread.execute(this::tick);
                } catch (RejectedExecutionException stopping) {
                    // the node is stopping: its streams were ended
                }
            });
        } catch (RejectedExecutionException stopping) {
            // the node is stopping
        }
    }
}
