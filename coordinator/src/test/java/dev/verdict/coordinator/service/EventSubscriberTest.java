package dev.verdict.coordinator.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verdict.coordinator.model.HistoryEntry;
import dev.verdict.coordinator.port.HistoryFeed;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** One subscriber's bounded queue and its one write in flight, on an in-memory sink and a hand-moved clock. */
class EventSubscriberTest {

    private static final long SECOND = 1_000_000_000L;

    /** A sink whose writes complete only when the test says so: a reader that reads at the test's pace. */
    static final class Sink implements EventSink {
        final List<String> written = new ArrayList<>();
        final List<CompletableFuture<Void>> pending = new ArrayList<>();
        boolean ended;
        boolean cut;

        @Override
        public CompletionStage<Void> entries(List<HistoryEntry> entries) {
            entries.forEach(e -> written.add("id " + e.id()));
            return write();
        }

        @Override
        public CompletionStage<Void> comment(String text) {
            written.add(": " + text);
            return write();
        }

        @Override
        public CompletionStage<Void> overflow(long lastId, int maxQueued) {
            written.add("overflow " + lastId);
            return write();
        }

        private CompletionStage<Void> write() {
            CompletableFuture<Void> f = new CompletableFuture<>();
            pending.add(f);
            return f;
        }

        /** The reader takes everything written so far. */
        void read() {
            while (!pending.isEmpty()) {
                pending.remove(0).complete(null);
            }
        }

        @Override
        public void end() {
            ended = true;
        }

        @Override
        public void cut() {
            cut = true;
        }

        @Override
        public boolean isOpen() {
            return !ended && !cut;
        }
    }

    private final AtomicLong now = new AtomicLong();
    private final Sink sink = new Sink();
    private final EventSubscriber subscriber = new EventSubscriber(HistoryFeed.Filter.ALL, sink, 10, now::get);

    @Test
    void entriesGoOutInOrderOneWriteAtATime() {
        subscriber.start(0, true);
        assertTrue(subscriber.offer(entries(1, 5)));
        assertEquals(List.of(": stream after id 0"), sink.written, "nothing else while the first write is out");
        sink.read();
        sink.read();
        assertEquals(List.of(": stream after id 0", "id 1", "id 2", "id 3", "id 4", "id 5"), sink.written);
        assertTrue(subscriber.offer(entries(3, 6)), "ids already offered are skipped");
        sink.read();
        assertEquals("id 6", sink.written.get(sink.written.size() - 1));
        assertEquals(7, sink.written.size());
    }

    @Test
    void aReaderBehindByMoreThanTheBoundGetsTheOverflowNoticeWithItsLastIdThenTheEnd() {
        subscriber.start(0, true);
        sink.read();
        assertTrue(subscriber.offer(entries(1, 3)));
        // ids 1..3 are out, unread; 4..13 fill the queue; 14 is one too many
        assertFalse(subscriber.offer(entries(4, 14)), "the bound is hit: the feed counts an overflow");
        assertEquals(0, subscriber.room(), "nothing more is queued for it");
        sink.read(); // the reader takes 1..3; the queued ones are gone, the notice goes next
        sink.read();
        assertEquals(List.of(": stream after id 0", "id 1", "id 2", "id 3", "overflow 3"), sink.written);
        assertTrue(sink.ended, "then the stream ends");
        assertTrue(subscriber.isOver());
    }

    @Test
    void aReaderThatTakesNothingIsCutOnceTheNoticeCannotGoOutInTime() {
        subscriber.start(0, true);
        sink.read();
        subscriber.offer(entries(1, 3)); // written, never read
        assertFalse(subscriber.offer(entries(4, 20)));
        now.addAndGet(SECOND / 2);
        subscriber.tick(15 * SECOND, SECOND);
        assertFalse(sink.cut, "it has until the stuck limit to take the notice");
        now.addAndGet(SECOND);
        subscriber.tick(15 * SECOND, SECOND);
        assertTrue(sink.cut, "cut: even the end could not reach it");
        assertTrue(subscriber.isOver(), "its place is freed");
    }

    @Test
    void anIdleStreamGetsAKeepAliveAndAStuckOneWithoutOverflowIsCutAfterTwiceTheLimit() {
        subscriber.start(0, true);
        sink.read();
        now.addAndGet(16 * SECOND);
        subscriber.tick(15 * SECOND, 10 * SECOND);
        assertEquals(": keep-alive", sink.written.get(sink.written.size() - 1));
        now.addAndGet(15 * SECOND);
        subscriber.tick(15 * SECOND, 10 * SECOND);
        assertFalse(sink.cut);
        now.addAndGet(6 * SECOND);
        subscriber.tick(15 * SECOND, 10 * SECOND);
        assertTrue(sink.cut, "a keep-alive unread for more than twice the limit");
    }

    private static List<HistoryEntry> entries(long from, long to) {
        return LongStream.rangeClosed(from, to).mapToObj(id -> new HistoryEntry(id, "tx" + id, Instant.EPOCH, "n",
                "BEGUN", null, Map.of())).toList();
    }
}
