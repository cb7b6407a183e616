package dev.verdict.coordinator.support;

import dev.verdict.coordinator.core.Branch;
import dev.verdict.coordinator.core.Transaction;
import dev.verdict.coordinator.core.TransactionState;
import dev.verdict.coordinator.model.Node;
import dev.verdict.coordinator.model.StoredTransaction;
import dev.verdict.coordinator.port.Nodes;
import dev.verdict.coordinator.port.RecoveryScan;
import dev.verdict.coordinator.port.StoreUnavailable;
import dev.verdict.coordinator.port.TransactionLog;
import dev.verdict.coordinator.port.TransactionQueries;
import dev.verdict.protocol.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The in-memory twin of the PostgreSQL log and nodes table: the same contract (see
 * {@code TransactionLogContract}), with faults a test can inject. Time is "database time", read
 * from the supplier. What a write has made durable survives {@link #crash()}; with the planted
 * flaw {@link Flaw#ACK_BEFORE_FLUSH} a write is acknowledged before it is durable, as a log with
 * asynchronous commits would, so a crash can lose an acknowledged decision.
 */
public final class MemoryLog implements TransactionLog, RecoveryScan, TransactionQueries, Nodes {

    /** Deliberately broken storage, to prove the simulation's checks can fail. */
    public enum Flaw { NONE, ACK_BEFORE_FLUSH, NO_FENCE }

    /** How the next group write fails. */
    public enum Fault { NONE, BEFORE_WRITE, ACK_LOST }

    private record Row(StoredTransaction tx, String owner) {}

    private record NodeRow(String name, String address, Instant heartbeat) {}

    private static final Instant DEAD = Instant.MIN;

    private final Supplier<Instant> now;
    private final Flaw flaw;
    private Map<String, Row> visible = new LinkedHashMap<>();
    private Map<String, Row> durable = new LinkedHashMap<>();
    private final Map<String, NodeRow> nodes = new LinkedHashMap<>();
    private Fault nextWrite = Fault.NONE;
    private int failingReads;
    private int groups;
    private int claims;
    private int fences;

    public MemoryLog(Supplier<Instant> now, Flaw flaw) {
        this.now = now;
        this.flaw = flaw;
    }

    public void failNextWrite(Fault fault) {
        nextWrite = fault;
    }

    /** The next {@code n} reads and node operations fail, as on a connection the database dropped. */
    public void failNextReads(int n) {
        failingReads = n;
    }

    private void answering() {
        if (failingReads > 0) {
            failingReads--;
            throw new StoreUnavailable("simulated: the database did not answer", null);
        }
    }

    /** The database restarts: what was not durable is gone. */
    public void crash() {
        visible = new LinkedHashMap<>(durable);
    }

    /** The flawed log's background flush catches up. */
    public void flush() {
        durable = new LinkedHashMap<>(visible);
    }

    /** The durable record's decision, for the checks; null when none. */
    public Outcome durableDecision(String id) {
        Row row = durable.get(id);
        return row == null ? null : row.tx().tx().decision();
    }

    public int groups() {
        return groups;
    }

    /** Transactions taken over from dead nodes so far. */
    public int claims() {
        return claims;
    }

    /** "Rolled back" answers recorded by a node for a transaction it did not own. */
    public int fences() {
        return fences;
    }

    @Override
    public synchronized Map<String, Outcome> write(List<StoredTransaction> decisions, List<StoredTransaction> completions,
                                                   String owner) {
        Fault fault = nextWrite;
        nextWrite = Fault.NONE;
        if (fault == Fault.BEFORE_WRITE) {
            throw new StoreUnavailable("simulated: connection lost before the group was written", null);
        }
        Map<String, Outcome> existing = new HashMap<>();
        for (StoredTransaction d : decisions) {
            Row there = visible.get(d.id());
            boolean overwriteFence = flaw == Flaw.NO_FENCE && there != null
                    && there.tx().tx().decision() == Outcome.ROLLED_BACK && d.tx().decision() == Outcome.COMMITTED;
            if (there == null || overwriteFence) {
                put(d.id(), new Row(d, owner));
                if (d.tx().decision() == Outcome.ROLLED_BACK) {
                    fences++;
                }
            } else {
                existing.put(d.id(), there.tx().tx().decision());
            }
        }
        for (StoredTransaction c : completions) {
            Row there = visible.get(c.id());
            if (there == null) {
                put(c.id(), new Row(c, owner));
            } else if (there.tx().tx().decision() == c.tx().decision()) {
                String reason = there.tx().tx().reason() != null ? there.tx().tx().reason() : c.tx().reason();
                Transaction done = new Transaction(c.id(), c.tx().state(), c.tx().decision(), reason, c.tx().branches());
                StoredTransaction merged = new StoredTransaction(done, there.tx().createdAt(), there.tx().expiresAt(),
                        there.tx().decidedAt(), c.completedAt(), null, there.tx().beganBy());
                put(c.id(), new Row(merged, there.owner()));
            }
        }
        groups++;
        if (fault == Fault.ACK_LOST) {
            throw new StoreUnavailable("simulated: the group was written, its acknowledgement lost", null);
        }
        return existing;
    }

    private void put(String id, Row row) {
        visible.put(id, row);
        if (flaw != Flaw.ACK_BEFORE_FLUSH) {
            durable.put(id, row);
        }
    }

    @Override
    public synchronized List<StoredTransaction> claimOrphans(String node, int limit) {
        answering();
        List<StoredTransaction> claimed = new ArrayList<>();
        for (Map.Entry<String, Row> e : unfinished()) {
            if (claimed.size() == limit) {
                break;
            }
            Row row = e.getValue();
            NodeRow owner = row.owner() == null ? null : nodes.get(row.owner());
            if (!node.equals(row.owner()) && (owner == null || owner.heartbeat().equals(DEAD))) {
                put(e.getKey(), new Row(row.tx(), node));
                claimed.add(row.tx());
                claims++;
            }
        }
        return claimed;
    }

    @Override
    public synchronized List<StoredTransaction> unfinishedOwnedBy(String node, Instant decidedBefore, int limit) {
        answering();
        return unfinished().stream().filter(e -> node.equals(e.getValue().owner()))
                .map(e -> e.getValue().tx()).filter(t -> t.decidedAt().isBefore(decidedBefore)).limit(limit).toList();
    }

    @Override
    public synchronized Optional<Logged> find(String id) {
        answering();
        return Optional.ofNullable(visible.get(id)).map(r -> new Logged(r.tx(), r.owner()));
    }

    @Override
    public synchronized List<StoredTransaction> heuristic(int limit) {
        return visible.values().stream().map(Row::tx).filter(t -> t.tx().state() == TransactionState.HEURISTIC)
                .sorted(Comparator.comparing(StoredTransaction::decidedAt)).limit(limit).toList();
    }

    @Override
    public synchronized long countHeuristic() {
        return visible.values().stream().filter(r -> r.tx().tx().state() == TransactionState.HEURISTIC).count();
    }

    @Override
    public synchronized List<StoredTransaction> orphaned(Duration nodeTimeout, int limit) {
        return unfinished().stream().filter(e -> !alive(e.getValue().owner(), nodeTimeout)).map(e -> e.getValue().tx())
                .limit(limit).toList();
    }

    @Override
    public synchronized long countOrphaned(Duration nodeTimeout) {
        return orphaned(nodeTimeout, Integer.MAX_VALUE).size();
    }

    @Override
    public synchronized long unfinishedWith(String participant) {
        return unfinished().stream().filter(e -> e.getValue().tx().tx().branches().stream()
                .map(Branch::participant).anyMatch(participant::equals)).count();
    }

    @Override
    public void ping() {
    }

    /** Decided, not finished, oldest decision first. */
    private List<Map.Entry<String, Row>> unfinished() {
        return visible.entrySet().stream().filter(e -> e.getValue().tx().completedAt() == null)
                .sorted(Comparator.comparing(e -> e.getValue().tx().decidedAt(), Comparator.nullsFirst(Comparator.naturalOrder())))
                .toList();
    }

    // --- nodes -----------------------------------------------------------------------------------

    @Override
    public synchronized boolean register(String nodeId, String name, String address) {
        answering();
        NodeRow existing = nodes.get(nodeId);
        if (existing != null && existing.heartbeat().equals(DEAD)) {
            return false;
        }
        nodes.replaceAll((id, n) -> n.name().equals(name) ? new NodeRow(n.name(), n.address(), DEAD) : n);
        nodes.put(nodeId, new NodeRow(name, address, now.get()));
        return true;
    }

    @Override
    public synchronized void leave(String nodeId) {
        answering();
        NodeRow n = nodes.get(nodeId);
        if (n != null) {
            nodes.put(nodeId, new NodeRow(n.name(), n.address(), DEAD));
        }
    }

    @Override
    public synchronized boolean heartbeat(String nodeId) {
        answering();
        NodeRow n = nodes.get(nodeId);
        if (n == null || n.heartbeat().equals(DEAD)) {
            return false;
        }
        nodes.put(nodeId, new NodeRow(n.name(), n.address(), now.get()));
        return true;
    }

    @Override
    public synchronized int buryDead(Duration nodeTimeout) {
        answering();
        int buried = 0;
        for (Map.Entry<String, NodeRow> e : nodes.entrySet()) {
            NodeRow n = e.getValue();
            if (!n.heartbeat().equals(DEAD) && n.heartbeat().isBefore(now.get().minus(nodeTimeout))) {
                e.setValue(new NodeRow(n.name(), n.address(), DEAD));
                buried++;
            }
        }
        return buried;
    }

    @Override
    public synchronized List<Node> live(Duration nodeTimeout) {
        answering();
        return nodes.entrySet().stream().filter(e -> alive(e.getKey(), nodeTimeout))
                .map(e -> new Node(e.getKey(), e.getValue().name(), e.getValue().address())).toList();
    }

    @Override
    public synchronized Liveness liveness(String nodeId, Duration nodeTimeout) {
        answering();
        return !nodes.containsKey(nodeId) ? Liveness.UNKNOWN : alive(nodeId, nodeTimeout) ? Liveness.ALIVE : Liveness.DEAD;
    }

    private boolean alive(String nodeId, Duration nodeTimeout) {
        NodeRow n = nodeId == null ? null : nodes.get(nodeId);
        return n != null && !n.heartbeat().equals(DEAD) && !n.heartbeat().isBefore(now.get().minus(nodeTimeout));
    }
}
