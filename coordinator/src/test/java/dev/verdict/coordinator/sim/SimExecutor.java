package dev.verdict.coordinator.sim;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/** A thread of one node (its log writer, its database reads): tasks run when the simulation says. */
final class SimExecutor implements Executor {

    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

    @Override
    public void execute(Runnable task) {
        tasks.addLast(task);
    }

    boolean runOne() {
        Runnable task = tasks.pollFirst();
        if (task == null) {
            return false;
        }
        task.run();
        return true;
    }

    boolean isIdle() {
        return tasks.isEmpty();
    }
}
