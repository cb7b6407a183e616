package dev.verdict.coordinator.store;

import dev.verdict.coordinator.port.Nodes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/** {@code coordinator_node}: heartbeats in database time, so node clocks need not agree. */
@ApplicationScoped
public class JpaNodeStore implements Nodes {

    @Inject
    EntityManager em;

    @Override
    @Transactional
    public void register(String nodeId, String name) {
        // '-infinity' marks a superseded start: dead at once, and its heartbeat cannot revive it.
        em.createNativeQuery("update coordinator_node set heartbeat_at = '-infinity' where name = ?1")
                .setParameter(1, name).executeUpdate();
        em.createNativeQuery("insert into coordinator_node (node_id, name, started_at, heartbeat_at)"
                        + " values (?1, ?2, now(), now())")
                .setParameter(1, nodeId).setParameter(2, name).executeUpdate();
    }

    @Override
    @Transactional
    public boolean heartbeat(String nodeId) {
        return em.createNativeQuery("update coordinator_node set heartbeat_at = now()"
                        + " where node_id = ?1 and heartbeat_at > '-infinity'")
                .setParameter(1, nodeId).executeUpdate() == 1;
    }
}
