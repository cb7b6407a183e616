package dev.verdict.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** What the participant answered one request: enough to judge it and to quote it as evidence. */
public record Answer(String request, int status, String contentType, String retryAfter, String body) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The body as JSON, or null when it is not JSON. */
    public JsonNode json() {
        try {
            return body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    /** A string field of a JSON object body, or null. */
    public String field(String name) {
        JsonNode node = json();
        return node != null && node.isObject() && node.path(name).isTextual() ? node.get(name).asText() : null;
    }

    /** Whether this is an RFC 9457 problem document whose {@code status}, if given, is the HTTP status. */
    public boolean isProblem() {
        JsonNode node = json();
        return contentType != null && contentType.toLowerCase().startsWith("application/problem+json")
                && node != null && node.isObject() && node.path("type").isTextual()
                && (!node.has("status") || node.path("status").asInt() == status);
    }

    /** The request and its answer in one line, the body cut to 200 characters. */
    public String evidence() {
        String text = body == null ? "" : body.replaceAll("\\s+", " ");
        if (text.length() > 200) {
            text = text.substring(0, 200) + "...";
        }
        return request + " answered " + status + (contentType == null ? "" : " " + contentType) + " " + text;
    }
}
