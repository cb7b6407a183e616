package dev.verdict.participant.kit;

/** An error a caller must hear as RFC 9457 problem+json (see {@link KitProblemMapper}). */
public class KitProblem extends RuntimeException {

    final int status;
    final String slug;

    public KitProblem(int status, String slug, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.slug = slug;
    }
}
