package dev.verdict.coordinator.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A failure the client must hear about as an RFC 9457 problem. Thrown only before anything was
 * written, or after a write that is complete on its own: never leaves half-written state behind.
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String slug;
    private final String title;
    private final Map<String, Object> extensions = new LinkedHashMap<>();

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

    public static ProblemException transactionNotFound(String id) {
        return new ProblemException(404, "transaction-not-found", "Transaction not found",
                "No transaction with id '" + id + "' is known to this coordinator.").with("transactionId", id);
    }
}
