package dev.verdict.coordinator.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.coordinator.core.TransactionIds;
import dev.verdict.coordinator.core.HistoryKind;
import dev.verdict.coordinator.port.HistoryFeed;
import dev.verdict.coordinator.service.EventFeed;
import dev.verdict.coordinator.service.ParticipantRegistry;
import dev.verdict.security.Roles;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Predicate;

/**
 * {@code GET /events}: history entries from every node as Server-Sent Events (docs/operator-api.md,
 * "Live events"). Parameters are checked here, before anything is streamed: a bad one is a 400
 * problem, never a stream that silently matches nothing.
 */
@Path("/events")
public class EventResource {

    /** Values one filter may list: a filter is for following a few things, not a query language. */
    static final int MAX_FILTER_VALUES = 100;
    private static final Set<String> KINDS = Arrays.stream(HistoryKind.values()).map(Enum::name)
            .collect(java.util.stream.Collectors.toUnmodifiableSet());
    private static final String KIND_NAMES = "one of " + String.join(", ", new java.util.TreeSet<>(KINDS));

    @Inject
    EventFeed feed;

    @Inject
    ObjectMapper json;

    /**
     * On the event loop (nothing here blocks: the first read happens on the feed's thread), so the
     * headers are set before RESTEasy sends its own for the stream, never racing them from a worker.
     */
    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RolesAllowed(Roles.OPERATOR)
    @NonBlocking
    public void events(@QueryParam("transaction") String transactions, @QueryParam("participant") String participants,
                       @QueryParam("kind") String kinds, @QueryParam("since") String since,
                       @HeaderParam("Last-Event-ID") String lastEventId,
                       @Context SseEventSink sink, @Context HttpServerRequest request,
                       @Context HttpServerResponse response) {
        HistoryFeed.Filter filter = new HistoryFeed.Filter(
                values("transaction", transactions, TransactionIds::isWellFormed, "a transaction id"),
                values("participant", participants, ParticipantRegistry::isName, "a participant name"),
                values("kind", kinds, KINDS::contains, KIND_NAMES));
        // A reconnect resumes from what it actually received, whatever the URL it reuses says.
        OptionalLong from = lastEventId != null ? id("Last-Event-ID", lastEventId) : since != null ? id("since", since)
                : OptionalLong.empty();
        SseSink.prepare(response);
        feed.subscribe(filter, from, new SseSink(response, request.connection(), sink, json));
    }

    private static Set<String> values(String name, String param, Predicate<String> valid, String what) {
        if (param == null) {
            return Set.of();
        }
        Set<String> values = new LinkedHashSet<>();
        for (String v : param.split(",", -1)) {
            String value = v.strip();
            if (!valid.test(value)) {
                throw ProblemException.badRequest(name + " lists '" + clip(value) + "', which is not " + what
                        + ". Give a comma-separated list.");
            }
            values.add(value);
        }
        if (values.size() > MAX_FILTER_VALUES) {
            throw ProblemException.badRequest(name + " lists " + values.size() + " values; at most "
                    + MAX_FILTER_VALUES + " are accepted.");
        }
        return values;
    }

    private static OptionalLong id(String name, String value) {
        return OptionalLong.of(Queries.idParam(name, value));
    }

    private static String clip(String value) {
        return value.length() > 64 ? value.substring(0, 64) + "…" : value;
    }
}
