package dev.verdict.cli;

/** A request that did not succeed, with the exit code it means and a message fit for a person. */
final class ApiException extends RuntimeException {

    private final int exitCode;

    ApiException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
