package dev.verdict.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP server on loopback that answers each path with a scripted status and body, and
 * records what it was sent: enough to check how the CLI speaks and how it reads any answer,
 * refusals and failures included, without a coordinator. (The real coordinator is e2e's.)
 */
final class ScriptedCoordinator implements AutoCloseable {

    record Request(String method, String target, String authorization, String body) {}

    private record Answer(int status, String contentType, String body) {}

    private final HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();

    ScriptedCoordinator() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/", this::answer);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    ScriptedCoordinator json(String path, int status, String body) {
        answers.put(path, new Answer(status, "application/json", body.replace('\'', '"')));
        return this;
    }

    ScriptedCoordinator problem(String path, int status, String title, String detail, String extra) {
        String body = "{'type':'https://verdict.dev/problems/x','title':'" + title + "','status':" + status
                + ",'detail':'" + detail + "'" + (extra.isEmpty() ? "" : "," + extra) + "}";
        answers.put(path, new Answer(status, "application/problem+json", body.replace('\'', '"')));
        return this;
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                    exchange.getRequestHeaders().getFirst("Authorization"), body));
            Answer answer = answers.getOrDefault(exchange.getRequestURI().getPath(),
                    new Answer(404, "application/problem+json", "{\"title\":\"Not Found\",\"status\":404}"));
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", answer.contentType());
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
