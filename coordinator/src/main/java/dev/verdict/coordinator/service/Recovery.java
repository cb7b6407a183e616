package dev.verdict.coordinator.service;

import dev.verdict.coordinator.model.Node;
import dev.verdict.coordinator.model.StoredTransaction;
import dev.verdict.coordinator.port.Nodes;
import dev.verdict.coordinator.port.RecoveryScan;
import dev.verdict.coordinator.port.Scheduler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * Recovery is the normal path run from a different starting point. At start-up this node
 * registers (which marks its own previous start dead), takes over every decided transaction whose
 * node is dead, and only then accepts new transactions. Undecided transactions are never in the
 * log, so there is nothing to roll back: presumed abort already answers for them. Every heartbeat
 * interval after that it records that it is alive, declares silent nodes dead, takes over their
 * decided transactions, and reloads its directory of live nodes (for forwarding) and its cache of
 * participants' callback URLs (a registration may have changed at another node). A node whose
 * heartbeats fail for half the node timeout stops beginning transactions: the others may soon
 * declare it dead.
 */
public final class Recovery {

    private static final Logger LOG = Logger.getLogger(Recovery.class);
    /** A heartbeat takes over at most this many batches; the rest wait for the next one. */
    private static final int MAX_BATCHES_PER_HEARTBEAT = 10;

    private final Nodes nodes;
    private final RecoveryScan scan;
    private final ParticipantRegistry registry;
    private final TransactionDriver driver;
    private final TransactionService service;
    private final NodeDirectory directory;
    private final ThisNode node;
    private final DriverSettings settings;
    private final Scheduler scheduler;
    private final Executor thread;
    private volatile boolean recovered;
    private volatile boolean stopping;
    /** Another live process took this node's name: it stays out until restarted. */
    private volatile boolean excluded;
    private int failures;
    private int missedHeartbeats;

    /** @param thread runs the start-up pass and every heartbeat, one at a time, apart from request work */
    Recovery(Nodes nodes, RecoveryScan scan, ParticipantRegistry registry, TransactionDriver driver,
             TransactionService service, NodeDirectory directory, ThisNode node, DriverSettings settings,
             Scheduler scheduler, Executor thread) {
        this.nodes = nodes;
        this.scan = scan;
        this.registry = registry;
        this.driver = driver;
        this.service = service;
        this.directory = directory;
        this.node = node;
        this.settings = settings;
        this.scheduler = scheduler;
        this.thread = thread;
    }

    /** Starts the start-up pass in the background; it retries until the database answers. */
    public void start() {
        thread.execute(this::startUp);
    }

    /**
     * Stops taking part: no new transactions, no more heartbeats, and the node is marked gone, so
     * the others take over its decided transactions now rather than after the node timeout.
     */
    public void stop() {
        stopping = true;
        service.accept(false);
        if (recovered) {
            try {
                nodes.leave(node.incarnation());
            } catch (RuntimeException e) {
                LOG.warnf("could not mark node %s gone (%s); the others take over after the node timeout",
                        node.name(), e.toString());
            }
        }
    }

    /** Registered, recovered, and the only live process under its name. */
    public boolean isServing() {
        return recovered && !excluded && !stopping;
    }

    private void startUp() {
        if (stopping) {
            return;
        }
        try {
            if (failures > 0) {
                node.become(node.newIncarnation()); // a failed attempt may have registered the old one
            }
            nodes.register(node.incarnation(), node.name(), node.address());
            registry.reload();
            nodes.buryDead(settings.nodeTimeout());
            int count = takeOverOrphans(Integer.MAX_VALUE);
            directory.refresh(nodes.live(settings.nodeTimeout()));
            recovered = true;
            failures = 0;
            if (!stopping) {
                service.accept(true);
            }
            LOG.infof("node %s (incarnation %s, %s) ready; took over %d unfinished transaction(s)",
                    node.name(), node.incarnation(), node.address(), count);
            scheduler.schedule(settings.heartbeatInterval(), this::tick);
        } catch (RuntimeException e) {
            Duration pause = settings.retry().delay(++failures);
            LOG.warnf("start-up recovery failed (%s); retrying in %d ms", e.toString(), pause.toMillis());
            scheduler.schedule(pause, () -> thread.execute(this::startUp));
        }
    }

    private void tick() {
        if (stopping) {
            return;
        }
        thread.execute(() -> {
            try {
                heartbeat();
                missedHeartbeats = 0;
            } catch (RuntimeException e) {
                LOG.warnf("heartbeat failed: %s", e.toString());
                missedHeartbeats++;
                if (missedHeartbeats * settings.heartbeatInterval().toMillis() >= settings.nodeTimeout().toMillis() / 2) {
                    // The others may soon declare this node dead: stop minting ids they would answer for.
                    service.accept(false);
                }
            } finally {
                if (!stopping) {
                    scheduler.schedule(settings.heartbeatInterval(), this::tick);
                }
            }
        });
    }

    private void heartbeat() {
        if (excluded) {
            return;
        }
        if (!nodes.heartbeat(node.incarnation()) && !rejoinAfterDeclaredDead()) {
            return;
        }
        service.accept(!stopping);
        registry.reload();
        int buried = nodes.buryDead(settings.nodeTimeout());
        List<Node> live = nodes.live(settings.nodeTimeout());
        directory.refresh(live);
        int taken = takeOverOrphans(MAX_BATCHES_PER_HEARTBEAT * settings.batchSize());
        if (buried > 0 || taken > 0) {
            LOG.infof("declared %d silent node(s) dead; took over %d of their transaction(s)", buried, taken);
        }
    }

    /**
     * This incarnation was declared dead: it was paused past the node timeout, or a newer process
     * started under its name. Its decided transactions belong to whoever took them over, so it
     * forgets them. Undecided ones stay: their commit decisions still need the log to accept them,
     * and it refuses any that another node has answered for. If no live process has the name, this
     * one registers a new incarnation and goes on under it; if one has, two processes share a name,
     * and this one stays out.
     *
     * @return whether this process is a live node again
     */
    private boolean rejoinAfterDeclaredDead() {
        service.accept(false);
        String old = node.incarnation();
        int dropped = driver.dropDecided();
        boolean nameTaken = nodes.live(settings.nodeTimeout()).stream()
                .anyMatch(n -> n.name().equals(node.name()) && !n.id().equals(old));
        if (nameTaken) {
            excluded = true;
            LOG.errorf("node name '%s' was taken by a newer coordinator start; two live coordinators share one"
                    + " verdict.recovery.node-name. This one accepts no new transactions and reports not ready."
                    + " Give each its own name.", node.name());
            return false;
        }
        String fresh = node.newIncarnation();
        nodes.register(fresh, node.name(), node.address()); // registered before any id names it
        node.become(fresh);
        LOG.warnf("incarnation %s of node %s was declared dead while paused; %d decided transaction(s) left to"
                + " the nodes that took them over; continuing as incarnation %s", old, node.name(), dropped, fresh);
        return true;
    }

    /** Claims dead nodes' decided transactions batch by batch, up to {@code most}, and drives each on. */
    private int takeOverOrphans(int most) {
        int count = 0;
        int batch = settings.batchSize();
        while (count < most) {
            List<StoredTransaction> claimed = scan.claimOrphans(node.incarnation(), batch);
            claimed.forEach(driver::adopt);
            count += claimed.size();
            if (claimed.size() < batch) {
                return count;
            }
        }
        return count;
    }
}
