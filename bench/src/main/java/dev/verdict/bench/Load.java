package dev.verdict.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Drives transactions from one event loop. Closed loop: a fixed number of clients, each starting
 * its next transaction when the last one ends. Open loop: transactions start on a fixed schedule
 * whatever happens to earlier ones, and latency counts from the scheduled start, so a stall is
 * charged to every transaction it delays (no coordinated omission).
 */
final class Load {

    /** An open loop gives up adding work beyond this many transactions in flight (counted as errors). */
    static final int MAX_IN_FLIGHT = 20_000;

    private final Context context;

    Load(Context context) {
        this.context = context;
    }

    /** Runs until {@code duration} has passed or {@code maxTransactions} have started, then lets them finish. */
    Future<RunResult> closed(Supplier<Future<Outcome>> transaction, int clients, Duration duration, long maxTransactions) {
        Promise<RunResult> done = Promise.promise();
        context.runOnContext(ignored -> new Object() {
            final RunResult result = new RunResult();
            final long start = System.nanoTime();
            final long deadline = start + duration.toNanos();
            long started;
            int active = clients;

            void go() {
                for (int i = 0; i < clients; i++) {
                    next();
                }
            }

            void next() {
                if (System.nanoTime() >= deadline || started >= maxTransactions) {
                    if (--active == 0) {
                        result.elapsedNanos = System.nanoTime() - start;
                        done.complete(result);
                    }
                    return;
                }
                started++;
                long t0 = System.nanoTime();
                transaction.get().onComplete(ar -> {
                    if (ar.succeeded()) {
                        result.record(ar.result(), (System.nanoTime() - t0) / 1000);
                    } else {
                        result.error(String.valueOf(ar.cause().getMessage()));
                    }
                    next();
                });
            }
        }.go());
        return done.future();
    }

    /** Starts {@code ratePerSecond} transactions a second for {@code duration}, then lets them finish. */
    Future<RunResult> open(Supplier<Future<Outcome>> transaction, double ratePerSecond, Duration duration) {
        Promise<RunResult> done = Promise.promise();
        long total = (long) (ratePerSecond * duration.toNanos() / 1e9);
        double intervalNanos = 1e9 / ratePerSecond;
        context.runOnContext(ignored -> new Object() {
            final RunResult result = new RunResult();
            final long start = System.nanoTime();
            long issued;
            long completed;
            long inFlight;
            long timer;

            void go() {
                timer = context.owner().setPeriodic(1, t -> tick());
                tick();
            }

            void tick() {
                long now = System.nanoTime();
                while (issued < total && start + (long) (issued * intervalNanos) <= now) {
                    long scheduled = start + (long) (issued * intervalNanos);
                    issued++;
                    if (inFlight >= MAX_IN_FLIGHT) {
                        result.error("over " + MAX_IN_FLIGHT + " transactions in flight; not started");
                        finishOne();
                        continue;
                    }
                    inFlight++;
                    transaction.get().onComplete(ar -> {
                        inFlight--;
                        if (ar.succeeded()) {
                            result.record(ar.result(), (System.nanoTime() - scheduled) / 1000);
                        } else {
                            result.error(String.valueOf(ar.cause().getMessage()));
                        }
                        finishOne();
                    });
                }
                if (issued >= total) {
                    context.owner().cancelTimer(timer);
                }
            }

            void finishOne() {
                if (++completed == total) {
                    result.elapsedNanos = System.nanoTime() - start;
                    done.complete(result);
                }
            }
        }.go());
        return done.future();
    }
}
