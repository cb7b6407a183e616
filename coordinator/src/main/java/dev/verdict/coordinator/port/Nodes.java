package dev.verdict.coordinator.port;

import dev.verdict.coordinator.model.Node;
import java.time.Duration;
import java.util.List;

/** The coordinator processes (incarnations) sharing one database, whether each is alive, and where. */
public interface Nodes {

    /**
     * Records a process start; older starts of the same name are dead from now on. Repeating it
     * (its acknowledgement was lost) changes nothing more.
     *
     * @return false, changing nothing, when this incarnation has already been declared dead
     */
    boolean register(String nodeId, String name, String address);

    /** A node stopping on purpose: dead from now on, so the others take over its work at once. */
    void leave(String nodeId);

    /** Records that the node is alive; false once it has been declared dead or superseded. */
    boolean heartbeat(String nodeId);

    /**
     * Declares dead, for good, every node silent for {@code nodeTimeout}: one that was only paused
     * learns at its next heartbeat that its work has been taken over.
     */
    int buryDead(Duration nodeTimeout);

    /** Nodes that have heartbeated within {@code nodeTimeout}. */
    List<Node> live(Duration nodeTimeout);

    /** Whether this incarnation is alive: heartbeating within {@code nodeTimeout}, dead, or never registered. */
    Liveness liveness(String nodeId, Duration nodeTimeout);

    enum Liveness { ALIVE, DEAD, UNKNOWN }
}
