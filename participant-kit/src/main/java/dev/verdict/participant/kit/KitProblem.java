package dev.verdict.participant.kit;

/**
 * An error the caller hears as RFC 9457 problem+json ({@link KitProblemMapper}): a status, a problem
 * type (its slug), a message a person can act on, and, once there is one, the transaction's id, so
 * a client can always find out what became of a transaction that may have committed.
 */
public class KitProblem extends RuntimeException {

    private final int status;
    private final String slug;
    private final String transactionId;
    private final Integer retryAfterSeconds;

    public KitProblem(int status, String slug, String detail) {
        this(status, slug, detail, null, null);
    }

    private KitProblem(int status, String slug, String detail, String transactionId, Integer retryAfterSeconds) {
        super(detail, null, false, false);
        this.status = status;
        this.slug = slug;
        this.transactionId = transactionId;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 503 with Retry-After: nothing was done, and the same request may succeed shortly. */
    public static KitProblem unavailable(String slug, String detail, int retryAfterSeconds) {
        return new KitProblem(503, slug, detail, null, retryAfterSeconds);
    }

    /** The same problem, about transaction {@code id} (kept if it named one already). */
    public KitProblem about(String id) {
        return transactionId != null || id == null ? this
                : new KitProblem(status, slug, getMessage(), id, retryAfterSeconds);
    }

    public int status() {
        return status;
    }

    public String slug() {
        return slug;
    }

    public String transactionId() {
        return transactionId;
    }

    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
