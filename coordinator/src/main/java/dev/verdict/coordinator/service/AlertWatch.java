package dev.verdict.coordinator.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.coordinator.metrics.VerdictMetrics;
import dev.verdict.coordinator.model.Node;
import dev.verdict.coordinator.model.StoredTransaction;
import dev.verdict.coordinator.port.Scheduler;
import dev.verdict.coordinator.port.TransactionQueries;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * Every {@code check-interval}, looks at what this node holds (no database) and at the log's
 * unacknowledged heuristic outcomes (two cheap indexed reads), refreshes the gauges from it, and
 * raises alerts: a transaction in doubt for longer than {@code in-doubt-after} (once per
 * transaction), a heuristic outcome (once per transaction; sent by one node of the cluster, the
 * live one with the smallest name, since every node reads the same log), and a participant whose
 * backlog here crosses {@code backlog-threshold} (once per crossing, and {@code backlog-resolved}
 * when it falls back).
 */
public final class AlertWatch {

    private static final Logger LOG = Logger.getLogger(AlertWatch.class);
    /** Heuristic rows read per check, and heuristic ids remembered as alerted (the oldest forgotten first). */
    static final int HEURISTIC_LIMIT = 1_000;
    private static final int REMEMBERED_HEURISTICS = 10_000;

    public record Settings(Duration checkInterval, Duration inDoubtAfter, int backlogThreshold) {}

    private final StatusService status;
    private final TransactionQueries queries;
    private final ThisNode node;
    private final NodeDirectory directory;
    private final AlertDispatcher dispatcher;
    private final VerdictMetrics metrics;
    private final Scheduler scheduler;
    private final Executor thread;
    private final Clock clock;
    private final ObjectMapper json;
    private final Settings settings;

    /** The check thread only. */
    private final Set<String> inDoubtAlerted = new HashSet<>();
    private final Set<String> heuristicAlerted = new LinkedHashSet<>();
    private final Set<String> backlogHigh = new HashSet<>();
    private long heuristicCount;
    private volatile boolean stopped;
    private final java.util.function.BooleanSupplier serving;

    /**
     * @param serving whether the node has recovered and knows the live nodes: before that, every
     *        node would think itself the one that speaks for the cluster and alert every heuristic outcome
     */
    public AlertWatch(StatusService status, TransactionQueries queries, ThisNode node, NodeDirectory directory,
                      java.util.function.BooleanSupplier serving, AlertDispatcher dispatcher, VerdictMetrics metrics, Scheduler scheduler, Executor thread,
                      Clock clock, ObjectMapper json, Settings settings) {
        this.status = status;
        this.queries = queries;
        this.node = node;
        this.directory = directory;
        this.serving = serving;
        this.dispatcher = dispatcher;
        this.metrics = metrics;
        this.scheduler = scheduler;
        this.thread = thread;
        this.clock = clock;
        this.json = json;
        this.settings = settings;
    }

    public void start() {
        thread.execute(this::tick);
    }

    public void stop() {
        stopped = true;
    }

    private void tick() {
        if (stopped) {
            return;
        }
        try {
            check();
        } catch (RuntimeException e) {
            LOG.warnf("alert check failed (%s); trying again in %s", e.getMessage(), settings.checkInterval());
        } finally {
            if (!stopped) {
                later();
            }
        }
    }

    /** The next check; none once the node stops (its threads refuse work then). */
    private void later() {
        try {
            scheduler.schedule(settings.checkInterval(), () -> {
                try {
                    thread.execute(this::tick);
                } catch (java.util.concurrent.RejectedExecutionException stopping) {
                    // the node is stopping
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // the node is stopping
        }
    }

    /** One evaluation; package-private so a test can run it without waiting. */
    void check() {
        Instant now = clock.instant();
        StatusService.Holding holding = status.holding();
        List<StoredTransaction> heuristic = List.of();
        try {
            heuristicCount = queries.countHeuristic();
            heuristic = speaksForCluster() ? queries.heuristic(HEURISTIC_LIMIT) : List.of();
        } catch (RuntimeException e) {
            LOG.warnf("alert check: heuristic outcomes not readable (%s); memory checked only", e.getMessage());
        }
        Duration oldest = holding.inDoubt().stream().map(StatusService.InDoubt::decidedAt).filter(java.util.Objects::nonNull)
                .min(Comparator.naturalOrder()).map(at -> Duration.between(at, now)).filter(d -> !d.isNegative())
                .orElse(Duration.ZERO);
        metrics.holding(holding.undecided(), holding.inDoubt().size(), oldest, heuristicCount, holding.waitingOn());
        inDoubt(holding, now);
        heuristic.forEach(tx -> heuristic(tx, now));
        backlog(holding.waitingOn(), now);
    }

    private void inDoubt(StatusService.Holding holding, Instant now) {
        Set<String> current = new HashSet<>();
        for (StatusService.InDoubt d : holding.inDoubt()) {
            current.add(d.id());
            Duration age = d.decidedAt() == null ? Duration.ZERO : Duration.between(d.decidedAt(), now);
            if (age.compareTo(settings.inDoubtAfter()) >= 0 && inDoubtAlerted.add(d.id())) {
                raise("in-doubt", "transactionId", d.id(), "ageMs", age.toMillis(), now);
            }
        }
        inDoubtAlerted.retainAll(current); // a transaction leaves doubt once, never to return: forget it
    }

    private void heuristic(StoredTransaction tx, Instant now) {
        if (!heuristicAlerted.add(tx.id())) {
            return;
        }
        if (heuristicAlerted.size() > REMEMBERED_HEURISTICS) {
            heuristicAlerted.remove(heuristicAlerted.iterator().next());
        }
        long age = tx.decidedAt() == null ? 0 : Math.max(0, Duration.between(tx.decidedAt(), now).toMillis());
        raise("heuristic", "transactionId", tx.id(), "ageMs", age, now);
    }

    private void backlog(Map<String, Long> waitingOn, Instant now) {
        waitingOn.forEach((participant, n) -> {
            if (n > settings.backlogThreshold() && backlogHigh.add(participant)) {
                raise("backlog", "participant", participant, "backlog", n, now);
            }
        });
        for (String participant : List.copyOf(backlogHigh)) {
            long n = waitingOn.getOrDefault(participant, 0L);
            if (n <= settings.backlogThreshold()) {
                backlogHigh.remove(participant);
                raise("backlog-resolved", "participant", participant, "backlog", n, now);
            }
        }
    }

    /** Cluster-wide alerts come from one node: the live one with the smallest name (this one while it knows no other). */
    private boolean speaksForCluster() {
        return serving.getAsBoolean() && directory.all().stream().map(Node::name).min(Comparator.naturalOrder())
                .map(first -> first.equals(node.name())).orElse(true);
    }

    private void raise(String alert, String subjectKey, String subject, String amountKey, long amount, Instant now) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("alert", alert);
        body.put(subjectKey, subject);
        body.put(amountKey, amount);
        body.put("at", now.toString());
        body.put("node", node.name());
        body.put("coordinatorUrl", node.address());
        metrics.alertRaised(alert);
        LOG.infof("alert %s: %s %s (%s %d)", alert, subjectKey, subject, amountKey, amount);
        try {
            dispatcher.send(json.writeValueAsBytes(body));
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
