package dev.verdict.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.StringJoiner;
import java.util.stream.Stream;

/**
 * The coordinator's operator API over {@code java.net.http}: one request at a time, the credential
 * in the Authorization header, and every failure turned into an {@link ApiException} whose message
 * is the problem's title and detail (never a stack trace) and whose exit code says what kind of
 * failure it was.
 */
final class ApiClient {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** A successful answer: the body exactly as sent (for {@code -o json}) and parsed. */
    record Answer(String body, JsonNode json) {}

    private final String baseUrl;
    private final String key;
    private final HttpClient http;

    /** @param key the API key or token, or null to send none (the coordinator then answers 401) */
    ApiClient(String baseUrl, String key) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.key = key;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    Answer get(String path, Map<String, ?> query) {
        return send(request(path, query).timeout(TIMEOUT).GET().build());
    }

    Answer post(String path, Object body) {
        String json;
        try {
            json = JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
        return send(request(path, Map.of()).timeout(TIMEOUT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** Opens a Server-Sent Events stream; its lines arrive as the coordinator sends them. */
    Stream<String> stream(String path, Map<String, ?> query, String lastEventId) {
        HttpRequest.Builder builder = request(path, query).header("Accept", "text/event-stream").GET();
        if (lastEventId != null) {
            builder.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<Stream<String>> response = exchange(builder.build(), HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) {
            String body = String.join("\n", (Iterable<String>) response.body()::iterator);
            throw failure(response.statusCode(), body);
        }
        return response.body();
    }

    /** A path segment (an id, a participant name) as the coordinator expects it. */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpRequest.Builder request(String path, Map<String, ?> query) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path, query)).header("Accept", "application/json");
        if (key != null) {
            builder.header("Authorization", "Bearer " + key);
        }
        return builder;
    }

    private URI uri(String path, Map<String, ?> query) {
        StringJoiner params = new StringJoiner("&", "?", "").setEmptyValue("");
        query.forEach((name, value) -> {
            if (value != null) {
                params.add(name + "=" + URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8));
            }
        });
        try {
            return URI.create(baseUrl + path + params);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ExitCode.USAGE, "not a usable URL: " + baseUrl + " (" + e.getMessage() + ")");
        }
    }

    private Answer send(HttpRequest request) {
        HttpResponse<String> response = exchange(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw failure(response.statusCode(), response.body());
        }
        try {
            String body = response.body();
            return new Answer(body, body.isBlank() ? JSON.nullNode() : JSON.readTree(body));
        } catch (JsonProcessingException e) {
            throw new ApiException(ExitCode.UNAVAILABLE, baseUrl + " answered something that is not JSON: "
                    + Text.truncate(response.body(), 200));
        }
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (HttpTimeoutException e) {
            throw new ApiException(ExitCode.UNAVAILABLE, "no answer from " + baseUrl + " within " + TIMEOUT.toSeconds() + "s");
        } catch (ConnectException e) {
            throw new ApiException(ExitCode.UNAVAILABLE, "cannot reach the coordinator at " + baseUrl
                    + " (" + (e.getMessage() == null ? "connection refused" : e.getMessage()) + ")");
        } catch (IOException e) {
            throw new ApiException(ExitCode.UNAVAILABLE, "lost the connection to " + baseUrl + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ExitCode.UNAVAILABLE, "interrupted while waiting for " + baseUrl);
        }
    }

    /** A non-2xx answer as an exception: exit code by status, text from the problem+json body. */
    ApiException failure(int status, String body) {
        int exitCode = status == 404 ? ExitCode.NOT_FOUND : status >= 500 || status < 400 ? ExitCode.UNAVAILABLE : ExitCode.REFUSED;
        String verb = exitCode == ExitCode.REFUSED ? "the coordinator refused" : exitCode == ExitCode.NOT_FOUND ? "not found" : "the coordinator failed";
        StringBuilder message = new StringBuilder(verb).append(" (HTTP ").append(status).append(reasonPhrase(status)).append("): ");
        message.append(describeProblem(body));
        if (status == 401 && key == null) {
            message.append("\nNo key was given: use --key, VERDICT_KEY or --key-file.");
        }
        return new ApiException(exitCode, message.toString());
    }

    /** "Title: detail", then the problem's own fields (state, outcome, ...) that say why. */
    static String describeProblem(String body) {
        JsonNode problem;
        try {
            problem = body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (JsonProcessingException e) {
            problem = null;
        }
        if (problem == null || !problem.isObject() || !problem.has("title")) {
            return body == null || body.isBlank() ? "(no details given)" : Text.truncate(body.strip(), 300);
        }
        StringBuilder text = new StringBuilder(problem.path("title").asText());
        if (problem.hasNonNull("detail")) {
            text.append(": ").append(problem.path("detail").asText());
        }
        StringJoiner extras = new StringJoiner(", ", "\n  ", "").setEmptyValue("");
        for (Iterator<Map.Entry<String, JsonNode>> fields = problem.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!Map.of("type", 1, "title", 1, "status", 1, "detail", 1, "instance", 1).containsKey(field.getKey())
                    && !field.getValue().isNull() && field.getValue().isValueNode()) {
                extras.add(field.getKey() + ": " + field.getValue().asText());
            }
        }
        return text.append(extras).toString();
    }

    private static String reasonPhrase(int status) {
        return switch (status) {
            case 400 -> " Bad Request";
            case 401 -> " Unauthorized";
            case 403 -> " Forbidden";
            case 404 -> " Not Found";
            case 405 -> " Method Not Allowed";
            case 409 -> " Conflict";
            case 422 -> " Unprocessable Content";
            case 429 -> " Too Many Requests";
            case 500 -> " Internal Server Error";
            case 503 -> " Service Unavailable";
            default -> "";
        };
    }
}
