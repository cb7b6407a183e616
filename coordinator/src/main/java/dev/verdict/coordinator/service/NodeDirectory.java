package dev.verdict.coordinator.service;

import dev.verdict.coordinator.model.Node;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * This node's view of the live coordinator nodes, refreshed at every heartbeat. It may lag by a
 * heartbeat: it only chooses between forwarding and answering from the log, and answering from
 * the log is safe whatever the owner does, because a "rolled back" answer is fenced first.
 */
public final class NodeDirectory {

    private volatile Map<String, Node> live = Map.of();

    void refresh(List<Node> nodes) {
        live = nodes.stream().collect(Collectors.toUnmodifiableMap(Node::id, Function.identity(), (a, b) -> a));
    }

    /** The live node that is this incarnation, if it has an address to forward to. */
    public Optional<Node> live(String incarnation) {
        return Optional.ofNullable(live.get(incarnation)).filter(n -> n.address() != null);
    }

    public Collection<Node> all() {
        return live.values();
    }
}
