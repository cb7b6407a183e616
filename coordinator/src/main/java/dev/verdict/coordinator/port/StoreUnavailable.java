package dev.verdict.coordinator.port;

/**
 * The coordinator's database failed under an operation. After a write, whether it landed is
 * unknown: the commit may have reached the database and only its acknowledgement been lost.
 */
public class StoreUnavailable extends RuntimeException {

    public StoreUnavailable(String message, Throwable cause) {
        super(message + ": " + (cause == null ? "" : cause.getMessage()), cause);
    }
}
