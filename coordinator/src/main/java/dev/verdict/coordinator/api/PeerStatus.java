package dev.verdict.coordinator.api;

import dev.verdict.coordinator.api.Views.NodeView;
import dev.verdict.coordinator.api.Views.StatusView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * Asks every other live node for what it holds in memory ({@code GET /status?scope=node}). A node
 * that does not answer is listed as such; the status is still given, with what the others said.
 */
@ApplicationScoped
public class PeerStatus {

    @Inject
    PeerReads peers;

    /** Blocking: adds each peer's report to {@code reports} and its line to {@code nodes}. */
    void ask(int limit, String credential, List<StatusView> reports, List<NodeView> nodes) {
        for (PeerReads.Reply<StatusView> reply : peers.get("/status?scope=node&limit=" + limit, credential, StatusView.class)) {
            if (reply.answer() != null) {
                reports.add(reply.answer());
            }
            nodes.add(reply.node());
        }
    }
}
