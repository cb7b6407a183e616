package dev.verdict.coordinator.port;

/** The coordinator processes sharing one database, and whether each is alive. */
public interface Nodes {

    /** Records a process start; older starts of the same name are dead from now on. */
    void register(String nodeId, String name);

    /** Records that the node is alive; false when a newer start of its name has superseded it. */
    boolean heartbeat(String nodeId);
}
