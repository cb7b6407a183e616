package dev.verdict.coordinator.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.coordinator.api.Views.NodeView;
import dev.verdict.coordinator.api.Views.StatusView;
import dev.verdict.coordinator.client.PeerHttp;
import dev.verdict.coordinator.model.Node;
import dev.verdict.coordinator.service.CoordinatorNode;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Asks every other live node for what it holds in memory ({@code GET /status?scope=node}), all at
 * once, each bounded by a short deadline. A node that does not answer is listed as such; the
 * status is still given, with what the others said.
 */
@ApplicationScoped
public class PeerStatus {

    private static final Duration DEADLINE = Duration.ofSeconds(2);

    @Inject
    PeerHttp http;

    @Inject
    CoordinatorNode coordinator;

    @Inject
    ObjectMapper json;

    /** Blocking: adds each peer's report to {@code reports} and its line to {@code nodes}. */
    void ask(String self, int limit, String credential, List<StatusView> reports, List<NodeView> nodes) {
        List<Node> peers = coordinator.directory().all().stream().filter(n -> !n.id().equals(self) && n.address() != null).toList();
        List<Future<PeerHttp.Answer>> asked = new ArrayList<>();
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Accept", "application/json");
        if (credential != null) {
            headers.add("Authorization", credential);
        }
        for (Node peer : peers) {
            asked.add(http.send(peer.address(), HttpMethod.GET, "/status?scope=node&limit=" + limit, headers, null, DEADLINE));
        }
        for (int i = 0; i < peers.size(); i++) {
            Node peer = peers.get(i);
            try {
                PeerHttp.Answer answer = asked.get(i).toCompletionStage().toCompletableFuture()
                        .get(DEADLINE.toMillis() + 500, TimeUnit.MILLISECONDS);
                if (answer.status() != 200) {
                    throw new IllegalStateException("HTTP " + answer.status());
                }
                reports.add(json.readValue(answer.body().getBytes(), StatusView.class));
                nodes.add(new NodeView(peer.name(), peer.id(), peer.address(), true, null));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                nodes.add(new NodeView(peer.name(), peer.id(), peer.address(), false, "interrupted"));
            } catch (Exception e) {
                String why = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
                nodes.add(new NodeView(peer.name(), peer.id(), peer.address(), false, why));
            }
        }
    }
}
