package dev.verdict.coordinator.wiring;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.coordinator.client.WebhookClient;
import dev.verdict.coordinator.config.VerdictConfig;
import dev.verdict.coordinator.core.RetryPolicy;
import dev.verdict.coordinator.metrics.VerdictMetrics;
import dev.verdict.coordinator.port.TransactionQueries;
import dev.verdict.coordinator.service.AlertDispatcher;
import dev.verdict.coordinator.service.AlertWatch;
import dev.verdict.coordinator.service.CoordinatorNode;
import dev.verdict.coordinator.service.EventFeed;
import dev.verdict.coordinator.store.JdbcHistoryFeed;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What operators watch, wired apart from the transaction path: the event stream's poller and the
 * alert checks each run on a thread of their own, with their own timer, so that a slow history
 * read or a slow webhook never delays a transaction's timeouts and retries.
 */
@ApplicationScoped
public class OperatorWiring {

    @Inject
    VerdictConfig config;

    private final TimerScheduler scheduler = new TimerScheduler();
    private final ExecutorService eventsThread = Executors.newSingleThreadExecutor(Wiring.daemon("verdict-events"));
    private final ExecutorService alertsThread = Executors.newSingleThreadExecutor(Wiring.daemon("verdict-alerts"));
    private EventFeed feed;
    private AlertWatch watch;

    @Produces
    @Singleton
    EventFeed eventFeed(AgroalDataSource dataSource, ObjectMapper json, VerdictMetrics metrics) {
        VerdictConfig.Events e = config.events();
        feed = new EventFeed(new JdbcHistoryFeed(dataSource, json, metrics), scheduler, eventsThread,
                new EventFeed.Settings(e.pollInterval(), e.maxQueued(), e.maxSubscribers(), e.keepAlive()), metrics);
        return feed;
    }

    @Produces
    @Singleton
    AlertWatch alertWatch(CoordinatorNode node, TransactionQueries queries, WebhookClient webhooks, VerdictMetrics metrics,
                          Clock clock, ObjectMapper json) {
        VerdictConfig.Alerts a = config.alerts();
        List<URI> urls = a.webhooks().orElse(List.of()).stream().map(OperatorWiring::webhook).toList();
        if (!urls.isEmpty() && a.secret().isEmpty()) {
            throw new IllegalStateException("verdict.alerts.webhooks is set but verdict.alerts.secret is not: every alert"
                    + " is signed. Set a secret of at least 32 random bytes, base64url (as a participant's callback secret).");
        }
        AlertDispatcher dispatcher = new AlertDispatcher(webhooks, scheduler, metrics, new AlertDispatcher.Settings(urls,
                a.maxQueued(), a.maxAttempts(), new RetryPolicy(a.retryInitial(), a.retryMax())));
        metrics.serving(() -> node.recovery().isServing() && node.logWriter().available());
        watch = new AlertWatch(node.status(), queries, node.node(), node.directory(), () -> node.recovery().isServing(),
                dispatcher, metrics, scheduler, alertsThread, clock, json, new AlertWatch.Settings(a.checkInterval(), a.inDoubtAfter(), a.backlogThreshold()));
        return watch;
    }

    /** The feed is built at start, not at the first subscriber, so that its gauge is there from the first scrape. */
    void start(@Observes StartupEvent event, AlertWatch alerts, EventFeed events) {
        alerts.start();
    }

    void stop(@Observes ShutdownEvent event) {
        if (feed != null) {
            feed.stop();
        }
        if (watch != null) {
            watch.stop();
        }
        alertsThread.shutdownNow();
        eventsThread.shutdown();
        scheduler.stop();
    }

    private static URI webhook(String url) {
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("verdict.alerts.webhooks: '" + url + "' is not a URL");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalStateException("verdict.alerts.webhooks: '" + url + "' must be an absolute http(s) URL");
        }
        return uri;
    }
}
