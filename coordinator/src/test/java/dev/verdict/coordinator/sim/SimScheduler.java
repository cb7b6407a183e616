package dev.verdict.coordinator.sim;

import dev.verdict.coordinator.port.Scheduler;
import java.time.Duration;
import java.util.PriorityQueue;

/** One node's timers in virtual time: due tasks run when the simulation lets that node run. */
final class SimScheduler implements Scheduler {

    private static final class Task implements Timer {
        final long at;
        final long seq;
        final Runnable run;
        boolean cancelled;

        Task(long at, long seq, Runnable run) {
            this.at = at;
            this.seq = seq;
            this.run = run;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    private final SimTime time;
    private final PriorityQueue<Task> queue = new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at)
            : Long.compare(a.seq, b.seq));
    private long seq;

    SimScheduler(SimTime time) {
        this.time = time;
    }

    @Override
    public Timer schedule(Duration delay, Runnable task) {
        Task t = new Task(time.now + Math.max(0, delay.toMillis()), seq++, task);
        queue.add(t);
        return t;
    }

    @Override
    public long nanoTime() {
        return time.now * 1_000_000;
    }

    /** Runs the earliest task that is due; false when none is. */
    boolean runOneDue() {
        while (!queue.isEmpty() && queue.peek().cancelled) {
            queue.poll();
        }
        if (queue.isEmpty() || queue.peek().at > time.now) {
            return false;
        }
        queue.poll().run.run();
        return true;
    }

    /** When the next task falls due; Long.MAX_VALUE when none is scheduled. */
    long nextAt() {
        while (!queue.isEmpty() && queue.peek().cancelled) {
            queue.poll();
        }
        return queue.isEmpty() ? Long.MAX_VALUE : queue.peek().at;
    }
}
