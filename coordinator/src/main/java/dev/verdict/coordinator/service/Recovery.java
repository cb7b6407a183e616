package dev.verdict.coordinator.service;

import dev.verdict.coordinator.model.StoredTransaction;
import dev.verdict.coordinator.port.Nodes;
import dev.verdict.coordinator.port.RecoveryScan;
import dev.verdict.coordinator.port.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * Recovery is the normal path run from a different starting point. At start-up this node
 * registers (which marks its own previous start dead), takes over every decided transaction whose
 * node has been declared dead, and only then accepts new transactions. Undecided transactions are
 * never in the log, so there is nothing to roll back: presumed abort already answers for them.
 *
 * <p>Every heartbeat interval after that it records that it is alive (which renews its
 * {@link Lease} to begin transactions), then declares silent nodes dead, takes over their decided
 * transactions, picks up any of its own it no longer holds in memory, and reloads its directory of
 * live nodes (for forwarding) and its cache of participants' callback URLs (a registration may
 * have changed at another node). It all runs on one thread of its own, apart from request work.
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
    private final Lease lease;
    private final DriverSettings settings;
    private final Scheduler scheduler;
    private final Clock clock;
    private final Executor thread;
    private volatile boolean recovered;
    private volatile boolean stopping;
    /** Leaving on purpose: no new transactions, no takeovers, but heartbeats go on until it has left. */
    private volatile boolean draining;
    /** Another live process took this node's name: it stays out until restarted. */
    private volatile boolean excluded;
    /** The incarnation this node is registering as after it was declared dead, kept across retries. */
    private String rejoining;
    private int failures;

    /** @param thread runs the start-up pass and every heartbeat, one at a time, apart from request work */
    Recovery(Nodes nodes, RecoveryScan scan, ParticipantRegistry registry, TransactionDriver driver,
             TransactionService service, NodeDirectory directory, ThisNode node, Lease lease, DriverSettings settings,
             Scheduler scheduler, Clock clock, Executor thread) {
        this.nodes = nodes;
        this.scan = scan;
        this.registry = registry;
        this.driver = driver;
        this.service = service;
        this.directory = directory;
        this.node = node;
        this.lease = lease;
        this.settings = settings;
        this.scheduler = scheduler;
        this.clock = clock;
        this.thread = thread;
    }

    /** Starts the start-up pass in the background; it retries until the database answers. */
    public void start() {
        thread.execute(this::startUp);
    }

    /**
     * The first step of leaving on purpose ({@link CoordinatorNode#drain}): new transactions are
     * refused and readiness goes down, while the node goes on finishing what it holds. It keeps
     * its heartbeat, so nobody takes its transactions from under it, and takes over nobody else's.
     */
    void beginDrain() {
        draining = true;
        service.accept(false);
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

    /** Registered, recovered, holding its lease, and the only live process under its name. */
    public boolean isServing() {
        return recovered && !excluded && !stopping && !draining && lease.valid();
    }

    private void startUp() {
        if (stopping) {
            return;
        }
        try {
            if (!nodes.register(node.incarnation(), node.name(), node.address())) {
                throw declaredDeadWhileRecovering();
            }
            registry.reload();
            nodes.buryDead(settings.nodeTimeout());
            int count = takeOverOrphans(Integer.MAX_VALUE, true);
            directory.refresh(nodes.live(settings.nodeTimeout()));
            // The pass above can take seconds on a cold JVM; a heartbeat now starts the lease
            // afresh, so a node that reports ready can begin transactions for the whole lease.
            long sentAt = lease.now();
            if (!nodes.heartbeat(node.incarnation())) {
                throw declaredDeadWhileRecovering();
            }
            lease.renew(sentAt);
            failures = 0;
            if (!stopping && !draining) {
                service.accept(true); // before readiness can say UP, so a ready node accepts begins
            }
            recovered = true;
            LOG.infof("node %s (incarnation %s, %s) ready; took over %d unfinished transaction(s)",
                    node.name(), node.incarnation(), node.address(), count);
            scheduler.schedule(settings.heartbeatInterval(), this::tick);
        } catch (RuntimeException e) {
            Duration pause = settings.retry().delay(++failures);
            LOG.warnf("start-up recovery failed (%s); retrying in %d ms", e.toString(), pause.toMillis());
            scheduler.schedule(pause, () -> thread.execute(this::startUp));
        }
    }

    /** Declared dead while an earlier attempt was taking over: the next attempt starts afresh as someone new. */
    private IllegalStateException declaredDeadWhileRecovering() {
        driver.dropDecided();
        node.become(node.newIncarnation());
        return new IllegalStateException("this start was declared dead while recovering; registering anew");
    }

    private void tick() {
        if (stopping) {
            return;
        }
        thread.execute(() -> {
            try {
                if (renewLease() && !draining) {
                    lookAround();
                }
            } catch (RuntimeException e) {
                LOG.warnf("heartbeat failed: %s", e.toString());
            } finally {
                if (!stopping) {
                    scheduler.schedule(settings.heartbeatInterval(), this::tick);
                }
            }
        });
    }

    /** @return whether this node is alive in the nodes table now, its lease renewed */
    private boolean renewLease() {
        if (excluded || stopping) {
            return false;
        }
        long sentAt = lease.now();
        if (!nodes.heartbeat(node.incarnation()) && !rejoinAfterDeclaredDead()) {
            return false;
        }
        if (lease.renew(sentAt)) {
            LOG.warnf("node %s's heartbeats were late by more than half the node timeout (%d ms); it refused new"
                    + " transactions until this one landed", node.name(), settings.nodeTimeout().toMillis() / 2);
        }
        return true;
    }

    /** The rest of a heartbeat: others' deaths, takeovers, and what this node's caches should hold. */
    private void lookAround() {
        registry.reload();
        int buried = nodes.buryDead(settings.nodeTimeout());
        directory.refresh(nodes.live(settings.nodeTimeout()));
        int taken = takeOverOrphans(MAX_BATCHES_PER_HEARTBEAT * settings.batchSize(), false);
        // Its own, decided long enough ago that a completion would long be written: lost from memory.
        List<StoredTransaction> own = scan.unfinishedOwnedBy(node.incarnation(),
                clock.instant().minus(settings.nodeTimeout()), settings.batchSize());
        own.forEach(tx -> driver.adopt(tx, "this node restarted"));
        if (buried > 0 || taken > 0) {
            LOG.infof("declared %d silent node(s) dead; took over %d of their transaction(s)", buried, taken);
        }
    }

    /**
     * This incarnation was declared dead: it was paused past the node timeout, or a newer process
     * started under its name. Its decided transactions belong to whoever took them over, so it
     * forgets them. Undecided ones stay: their commit decisions still need the log to accept them,
     * and it refuses any that another node has answered for. If no other live process has the
     * name, this one registers a new incarnation (the same one again if an earlier attempt's answer
     * was lost) and goes on under it; if one has, two processes share a name, and this one stays out.
     *
     * @return whether this process is a live node again
     */
    private boolean rejoinAfterDeclaredDead() {
        String old = node.incarnation();
        int dropped = driver.dropDecided();
        if (rejoining == null) {
            rejoining = node.newIncarnation();
        }
        String fresh = rejoining;
        boolean nameTaken = nodes.live(settings.nodeTimeout()).stream()
                .anyMatch(n -> n.name().equals(node.name()) && !n.id().equals(old) && !n.id().equals(fresh));
        if (nameTaken) {
            excluded = true;
            service.accept(false);
            LOG.errorf("node name '%s' was taken by a newer coordinator start; two live coordinators share one"
                    + " verdict.recovery.node-name. This one accepts no new transactions and reports not ready."
                    + " Give each its own name.", node.name());
            return false;
        }
        if (!nodes.register(fresh, node.name(), node.address())) {
            rejoining = null; // declared dead before it could be used: the next attempt takes a new one
            return false;
        }
        node.become(fresh); // registered before any id names it
        rejoining = null;
        LOG.warnf("incarnation %s of node %s was declared dead while paused; %d decided transaction(s) left to"
                + " the nodes that took them over; continuing as incarnation %s", old, node.name(), dropped, fresh);
        return true;
    }

    /**
     * Claims dead nodes' decided transactions batch by batch, up to {@code most}, and drives each
     * on. At start-up the claims may be many: the node heartbeats between batches, so that it is
     * not declared dead itself before it is ready.
     */
    private int takeOverOrphans(int most, boolean startingUp) {
        int count = 0;
        int batch = settings.batchSize();
        while (count < most) {
            List<StoredTransaction> claimed = scan.claimOrphans(node.incarnation(), batch);
            claimed.forEach(tx -> driver.adopt(tx, "the node driving it stopped heartbeating"));
            count += claimed.size();
            if (claimed.size() < batch) {
                return count;
            }
            if (startingUp && !nodes.heartbeat(node.incarnation())) {
                throw new IllegalStateException("declared dead while taking over");
            }
        }
        return count;
    }
}
