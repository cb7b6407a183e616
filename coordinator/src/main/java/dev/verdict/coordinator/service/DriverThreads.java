package dev.verdict.coordinator.service;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Threads for background protocol work: recording participants' replies, polling, recovery. Each
 * task is one short database transaction; no thread waits on a participant. Plain threads, not
 * Vert.x workers, so every task starts with a clean persistence context.
 */
@ApplicationScoped
public class DriverThreads implements Executor {

    private final ExecutorService pool;

    DriverThreads(@ConfigProperty(name = "verdict.driver.threads", defaultValue = "8") int threads) {
        AtomicInteger n = new AtomicInteger();
        pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "verdict-driver-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void execute(Runnable task) {
        pool.execute(task);
    }

    void stop(@Observes ShutdownEvent event) {
        pool.shutdownNow();
    }
}
