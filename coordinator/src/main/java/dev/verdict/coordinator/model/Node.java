package dev.verdict.coordinator.model;

/**
 * One coordinator process start (an incarnation) as the nodes table knows it.
 *
 * @param id the incarnation; transaction ids end with the id of the incarnation that owns them
 * @param name the stable name a restart reuses (a pod name)
 * @param address the base URL other nodes forward requests to
 */
public record Node(String id, String name, String address) {}
