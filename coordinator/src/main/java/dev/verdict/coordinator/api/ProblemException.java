package dev.verdict.coordinator.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A failure the client must hear about as an RFC 9457 problem, built by {@code api/}: from a
 * {@link dev.verdict.coordinator.service.ServiceException}, or for a request the API itself refuses.
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String slug;
    private final String title;
    private final Map<String, Object> extensions = new LinkedHashMap<>();
    private Integer retryAfterSeconds;

    public ProblemException(int status, String slug, String title, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.slug = slug;
        this.title = title;
    }

    public ProblemException with(String key, Object value) {
        if (value != null) {
            extensions.put(key, value);
        }
        return this;
    }

    /** Answers with {@code Retry-After}: the condition is expected to pass. */
    public ProblemException retryAfter(int seconds) {
        this.retryAfterSeconds = seconds;
        return this;
    }

    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }

    public Map<String, Object> extensions() {
        return extensions;
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(400, "invalid-request", "Invalid request", detail);
    }

}
