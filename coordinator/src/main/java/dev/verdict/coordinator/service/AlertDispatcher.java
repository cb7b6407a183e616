package dev.verdict.coordinator.service;

import dev.verdict.coordinator.core.RetryPolicy;
import dev.verdict.coordinator.metrics.VerdictMetrics;
import dev.verdict.coordinator.port.AlertChannel;
import dev.verdict.coordinator.port.Scheduler;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Delivers alerts to every webhook, off the hot path: a bounded queue (when full, the oldest
 * delivery is dropped and counted: a burst of alerts must not take memory without end), a few
 * POSTs in flight at once, and each failed delivery retried with capped exponential backoff up
 * to a number of attempts, then given up and counted.
 */
public final class AlertDispatcher {

    private static final Logger LOG = Logger.getLogger(AlertDispatcher.class);
    /** POSTs outstanding at once, over every webhook. */
    static final int MAX_IN_FLIGHT = 4;

    public record Settings(List<URI> webhooks, int maxQueued, int maxAttempts, RetryPolicy retry) {}

    private final AlertChannel channel;
    private final Scheduler scheduler;
    private final VerdictMetrics metrics;
    private final Settings settings;

    private final ArrayDeque<Delivery> queue = new ArrayDeque<>();
    private int inFlight;

    private static final class Delivery {
        final URI webhook;
        final byte[] json;
        int attempts;
        long notBefore;

        Delivery(URI webhook, byte[] json) {
            this.webhook = webhook;
            this.json = json;
        }
    }

    public AlertDispatcher(AlertChannel channel, Scheduler scheduler, VerdictMetrics metrics, Settings settings) {
        this.channel = channel;
        this.scheduler = scheduler;
        this.metrics = metrics;
        this.settings = settings;
    }

    /** Queues {@code json} for every webhook. Never blocks. */
    public void send(byte[] json) {
        synchronized (this) {
            for (URI webhook : settings.webhooks()) {
                if (queue.size() >= settings.maxQueued()) {
                    Delivery dropped = queue.removeFirst();
                    metrics.alertDelivery("dropped");
                    LOG.warnf("alert queue full (verdict.alerts.max-queued = %d): the oldest alert for %s was dropped",
                            settings.maxQueued(), dropped.webhook);
                }
                queue.addLast(new Delivery(webhook, json));
            }
        }
        pump();
    }

    private void pump() {
        while (true) {
            Delivery next;
            synchronized (this) {
                next = inFlight < MAX_IN_FLIGHT ? takeDue(scheduler.nanoTime()) : null;
                if (next == null) {
                    return;
                }
                inFlight++;
                next.attempts++;
            }
            Delivery d = next;
            channel.post(d.webhook, d.json).whenComplete((ok, error) -> done(d, error));
        }
    }

    /** Under the lock: the first delivery whose retry delay has passed. */
    private Delivery takeDue(long now) {
        for (Iterator<Delivery> i = queue.iterator(); i.hasNext(); ) {
            Delivery d = i.next();
            if (d.notBefore - now <= 0) {
                i.remove();
                return d;
            }
        }
        return null;
    }

    private void done(Delivery d, Throwable error) {
        boolean retry = false;
        synchronized (this) {
            inFlight--;
            if (error == null) {
                metrics.alertDelivery("sent");
            } else if (d.attempts >= settings.maxAttempts()) {
                metrics.alertDelivery("failed");
                LOG.warnf("alert to %s given up after %d attempts: %s", d.webhook, d.attempts, error.getMessage());
            } else {
                metrics.alertDelivery("retried");
                d.notBefore = scheduler.nanoTime() + settings.retry().delay(d.attempts).toNanos();
                retry = true;
                if (queue.size() >= settings.maxQueued()) {
                    queue.removeFirst();
                    metrics.alertDelivery("dropped");
                }
                queue.addLast(d);
            }
        }
        if (retry) {
            scheduler.schedule(settings.retry().delay(d.attempts), this::pump);
        }
        pump();
    }
}
