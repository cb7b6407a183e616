package dev.verdict.coordinator.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.coordinator.client.PeerHttp;
import dev.verdict.coordinator.config.VerdictConfig;
import dev.verdict.coordinator.metrics.VerdictMetrics;
import dev.verdict.coordinator.model.Node;
import dev.verdict.coordinator.service.CoordinatorNode;
import dev.verdict.coordinator.service.TransactionService;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Any replica accepts any request. One for a transaction that another live node holds in memory
 * (its id names the owner) is relayed to that node, and its answer relayed back, before the
 * request reaches a resource. A relayed request carries {@value #FORWARDED_BY} and is never
 * relayed again: the node it reaches answers from memory or from the log. When the owner does not
 * answer, the client hears 503 with {@code Retry-After}: the request may or may not have reached
 * it; commands are idempotent, and once that node is declared dead the log answers.
 */
public class OwnerForwarding {

    public static final String FORWARDED_BY = "Verdict-Forwarded-By";
    private static final Pattern PATH = Pattern.compile("/transactions/([^/]+)(/(branches|commit|rollback|outcome|actions/[a-z-]+))?");
    private static final List<String> RELAYED = List.of("Content-Type", "Location", "Retry-After", "WWW-Authenticate",
            TransactionResource.CONTEXT_HEADER);

    @Inject
    TransactionService service;

    @Inject
    PeerHttp peers;

    @Inject
    VerdictMetrics metrics;

    @Inject
    VerdictConfig config;

    @Inject
    CoordinatorNode self;

    @Inject
    ObjectMapper json;

    void register(@Observes Filters filters) {
        filters.register(this::route, 50); // after BodyLimit (100): an oversize body is refused here too
    }

    private void route(RoutingContext rc) {
        Matcher m = PATH.matcher(rc.normalizedPath());
        if (!m.matches() || rc.request().getHeader(FORWARDED_BY) != null) {
            rc.next();
            return;
        }
        Optional<Node> owner = service.forwardTarget(URLDecoder.decode(m.group(1), StandardCharsets.UTF_8));
        if (owner.isEmpty()) {
            rc.next();
            return;
        }
        rc.request().body().onSuccess(body -> forward(rc, owner.get(), body)).onFailure(rc::fail);
        // Quarkus pauses a request whose body nobody has asked for yet; body() alone does not resume it.
        rc.request().resume();
    }

    private void forward(RoutingContext rc, Node owner, Buffer body) {
        metrics.forwarded();
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        // The owner checks the caller's credential itself: a relay vouches for nothing.
        for (String name : List.of("Content-Type", "Accept", "Authorization")) {
            String value = rc.request().getHeader(name);
            if (value != null) {
                headers.set(name, value);
            }
        }
        headers.set(FORWARDED_BY, self.node().name());
        // A commit waits at the owner for up to outcome-wait; the deadline leaves it room to answer.
        Duration deadline = config.transaction().outcomeWait().plus(config.participant().callTimeout()).plusSeconds(2);
        peers.send(owner.address(), rc.request().method(), rc.request().uri(), headers, body.length() == 0 ? null : body, deadline)
                .onSuccess(answer -> {
                    HttpServerResponse response = rc.response().setStatusCode(answer.status());
                    for (String name : RELAYED) {
                        String value = answer.headers().get(name);
                        if (value != null) {
                            response.putHeader(name, value);
                        }
                    }
                    response.end(answer.body());
                })
                .onFailure(error -> {
                    ProblemException problem = Problems.ownerUnreachable(owner.name(), "The coordinator node that holds"
                            + " this transaction (" + owner.name() + " at " + owner.address() + ") did not answer: "
                            + error.getMessage() + ". The request may or may not have reached it; retry it (commands"
                            + " are idempotent). If that node has stopped, any node answers from the log once it is"
                            + " declared dead (verdict.recovery.node-timeout).");
                    rc.response().setStatusCode(problem.status()).putHeader("Content-Type", Problems.MEDIA_TYPE)
                            .putHeader("Retry-After", String.valueOf(problem.retryAfterSeconds()))
                            .end(Problems.render(json, problem));
                });
    }
}
