package dev.verdict.coordinator.store;

import dev.verdict.coordinator.metrics.VerdictMetrics;
import dev.verdict.coordinator.model.Node;
import dev.verdict.coordinator.port.Nodes;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;

/**
 * {@code coordinator_node}: heartbeats in database time, so node clocks need not agree. A heartbeat
 * of {@code '-infinity'} marks a node dead for good: superseded by a newer start of its name, or
 * declared dead after falling silent; its own heartbeat can no longer revive it. {@code died_at}
 * records when, for retention: a dead node's row is pruned only long after it died.
 */
public final class JdbcNodes implements Nodes {

    /** Dead for good; the first death is the one retention counts from. */
    private static final String DIE = "heartbeat_at = '-infinity', died_at = coalesce(died_at, now())";

    private final Jdbc jdbc;

    public JdbcNodes(DataSource dataSource, VerdictMetrics metrics) {
        this.jdbc = new Jdbc(dataSource, metrics);
    }

    @Override
    public boolean register(String nodeId, String name, String address) {
        // One statement: the older starts of the name die in the transaction the new one is born in,
        // and only if it is (still) alive: a registration repeated after it was declared dead does nothing.
        return !jdbc.query("with registered as (insert into coordinator_node (node_id, name, address, started_at,"
                + " heartbeat_at) values (?, ?, ?, now(), now()) on conflict (node_id) do update set heartbeat_at = now()"
                + " where coordinator_node.heartbeat_at > '-infinity' returning node_id),"
                + " superseded as (update coordinator_node set " + DIE + " where name = ? and node_id <> ?"
                + " and exists (select 1 from registered)) select node_id from registered", s -> {
                    s.setString(1, nodeId);
                    s.setString(2, name);
                    s.setString(3, address);
                    s.setString(4, name);
                    s.setString(5, nodeId);
                }, r -> r.getString(1)).isEmpty();
    }

    @Override
    public void leave(String nodeId) {
        jdbc.update("update coordinator_node set " + DIE + " where node_id = ?", s -> s.setString(1, nodeId));
    }

    @Override
    public boolean heartbeat(String nodeId) {
        return jdbc.update("update coordinator_node set heartbeat_at = now() where node_id = ? and heartbeat_at > '-infinity'",
                s -> s.setString(1, nodeId)) == 1;
    }

    @Override
    public int buryDead(Duration nodeTimeout) {
        return jdbc.update("update coordinator_node set " + DIE + " where heartbeat_at > '-infinity'"
                + " and heartbeat_at < now() - make_interval(secs => ?)", s -> s.setDouble(1, nodeTimeout.toMillis() / 1000.0));
    }

    @Override
    public List<Node> live(Duration nodeTimeout) {
        return jdbc.query("select node_id, name, address from coordinator_node"
                        + " where heartbeat_at >= now() - make_interval(secs => ?)",
                s -> s.setDouble(1, nodeTimeout.toMillis() / 1000.0),
                r -> new Node(r.getString(1), r.getString(2), r.getString(3)));
    }

    @Override
    public Liveness liveness(String nodeId, Duration nodeTimeout) {
        List<Boolean> alive = jdbc.query("select heartbeat_at >= now() - make_interval(secs => ?) from coordinator_node"
                + " where node_id = ?", s -> {
                    s.setDouble(1, nodeTimeout.toMillis() / 1000.0);
                    s.setString(2, nodeId);
                }, r -> r.getBoolean(1));
        return alive.isEmpty() ? Liveness.UNKNOWN : alive.get(0) ? Liveness.ALIVE : Liveness.DEAD;
    }
}
