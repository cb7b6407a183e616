package dev.verdict.coordinator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.coordinator.api.Views.HistoryEntryView;
import dev.verdict.coordinator.model.HistoryEntry;
import dev.verdict.coordinator.port.HistoryFeed;
import dev.verdict.coordinator.service.EventSink;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerResponse;
import io.netty.channel.ChannelOption;
import io.vertx.core.net.impl.ConnectionBase;
import jakarta.ws.rs.sse.SseEventSink;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One {@code text/event-stream} response, framed by hand: {@code id:}, {@code event:} and one
 * {@code data:} line of compact JSON (JSON holds no raw line breaks), then a blank line. RESTEasy's
 * {@link SseEventSink} keeps the request open and ends it; the bytes go straight to the Vert.x
 * response, whose write completes when they have left for the network: the subscriber's backpressure.
 */
final class SseSink implements EventSink {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(SseSink.class);

    private final HttpServerResponse response;
    private final HttpConnection connection;
    private final SseEventSink request;
    private final ObjectMapper json;

    SseSink(HttpServerResponse response, HttpConnection connection, SseEventSink request, ObjectMapper json) {
        this.response = response;
        this.connection = connection;
        this.request = request;
        this.json = json;
    }

    /** Headers go out with the first write, whichever comes first: this one, or RESTEasy's own. */
    static void prepare(HttpServerResponse response) {
        response.setStatusCode(200).setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Accel-Buffering", "no"); // proxies that buffer (nginx) must pass each event on
    }

    @Override
    public CompletionStage<Void> entries(List<HistoryEntry> entries) {
        StringBuilder frames = new StringBuilder(entries.size() * 256);
        for (HistoryEntry e : entries) {
            frames.append("id: ").append(e.id()).append('\n')
                    .append("event: ").append(e.kind()).append('\n')
                    .append("data: ").append(json(HistoryEntryView.of(e))).append("\n\n");
        }
        return write(frames);
    }

    @Override
    public CompletionStage<Void> comment(String text) {
        return write(new StringBuilder(": ").append(text).append("\n\n"));
    }

    @Override
    public CompletionStage<Void> overflow(long lastId, int maxQueued) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("message", "This stream fell more than " + maxQueued + " events behind and ends here. Reconnect"
                + " with the header Last-Event-ID: " + lastId + " (or ?since=" + lastId + ") to receive the rest.");
        data.put("lastEventId", lastId);
        return write(new StringBuilder("event: overflow\ndata: ").append(json(data)).append("\n\n"));
    }

    @Override
    public void end() {
        request.close(); // ends the response if the connection is still there
    }

    /**
     * Aborts the connection (a reset, SO_LINGER 0): Vert.x's own close of the response or the
     * connection is graceful, it waits for the pending write to complete, and a kernel's graceful
     * close would keep the unread megabytes for a reader that reads nothing.
     */
    @Override
    public void cut() {
        LOG.infof("event stream to %s cut: its reader took nothing for too long", connection.remoteAddress());
        if (connection instanceof ConnectionBase base) {
            base.channel().config().setOption(ChannelOption.SO_LINGER, 0);
            base.channel().close();
        } else {
            connection.close();
        }
    }

    @Override
    public boolean isOpen() {
        return !request.isClosed() && !response.closed() && !response.ended();
    }

    private CompletionStage<Void> write(StringBuilder text) {
        if (!isOpen()) {
            return CompletableFuture.failedFuture(new IllegalStateException("the event stream is closed"));
        }
        try {
            return response.write(Buffer.buffer(text.toString().getBytes(StandardCharsets.UTF_8))).toCompletionStage();
        } catch (IllegalStateException closedMeanwhile) {
            return CompletableFuture.failedFuture(closedMeanwhile);
        }
    }

    private String json(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event could not be written as JSON", e);
        }
    }
}
