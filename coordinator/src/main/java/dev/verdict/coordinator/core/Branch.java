package dev.verdict.coordinator.core;

/**
 * One participant's part in a transaction.
 *
 * @param attempts failed deliveries of the current message (prepare, one-phase or phase 2)
 * @param lastError why the last delivery failed, for operators; null when the last one succeeded
 */
public record Branch(String participant, BranchState state, int attempts, String lastError) {

    public static Branch enlisted(String participant) {
        return new Branch(participant, BranchState.ENLISTED, 0, null);
    }

    Branch moveTo(BranchState next) {
        return new Branch(participant, next, attempts, null);
    }

    /** Held back (deliveries paused): says why, counts no attempt. */
    Branch held(String why) {
        return new Branch(participant, state, attempts, why);
    }

    Branch failed(String error) {
        return new Branch(participant, state, attempts + 1, error);
    }
}
