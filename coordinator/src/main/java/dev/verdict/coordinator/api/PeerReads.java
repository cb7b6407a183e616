package dev.verdict.coordinator.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.coordinator.api.Views.NodeView;
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
 * Reads from every other live node at once ({@code /status?scope=node}, {@code /transactions?…&scope=node}),
 * each bounded by a short deadline, with the caller's own credential: each node checks it as this
 * one did. A node that does not answer is reported as such; the caller still answers with the rest.
 */
@ApplicationScoped
public class PeerReads {

    static final Duration DEADLINE = Duration.ofSeconds(2);

    /** One node's answer, parsed, or why there is none ({@code answer} null). */
    public record Reply<T>(NodeView node, T answer) {}

    @Inject
    PeerHttp http;

    @Inject
    CoordinatorNode coordinator;

    @Inject
    ObjectMapper json;

    /** Blocking, at most about {@link #DEADLINE}: GETs {@code pathAndQuery} on every live node but this one. */
    <T> List<Reply<T>> get(String pathAndQuery, String credential, Class<T> type) {
        String self = coordinator.node().incarnation();
        List<Node> peers = coordinator.directory().all().stream().filter(n -> !n.id().equals(self) && n.address() != null).toList();
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Accept", "application/json");
        if (credential != null) {
            headers.add("Authorization", credential);
        }
        List<Future<PeerHttp.Answer>> asked = new ArrayList<>();
        for (Node peer : peers) {
            asked.add(http.send(peer.address(), HttpMethod.GET, pathAndQuery, headers, null, DEADLINE));
        }
        List<Reply<T>> replies = new ArrayList<>();
        for (int i = 0; i < peers.size(); i++) {
            replies.add(await(peers.get(i), asked.get(i), type));
        }
        return replies;
    }

    private <T> Reply<T> await(Node peer, Future<PeerHttp.Answer> asked, Class<T> type) {
        try {
            PeerHttp.Answer answer = asked.toCompletionStage().toCompletableFuture()
                    .get(DEADLINE.toMillis() + 500, TimeUnit.MILLISECONDS);
            if (answer.status() != 200) {
                throw new IllegalStateException("HTTP " + answer.status());
            }
            T parsed = json.readValue(answer.body().getBytes(), type);
            return new Reply<>(new NodeView(peer.name(), peer.id(), peer.address(), true, null), parsed);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reply<>(new NodeView(peer.name(), peer.id(), peer.address(), false, "interrupted"), null);
        } catch (Exception e) {
            String why = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
            return new Reply<>(new NodeView(peer.name(), peer.id(), peer.address(), false, why), null);
        }
    }
}
