package dev.verdict.participant.kit;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import org.jboss.logging.Logger;

/**
 * Tells "the database cannot be reached now" from every other failure, so that a service answers
 * 503 with Retry-After (nothing was done; try again) rather than 500 (something is wrong here). The
 * kit uses it for its own endpoints and joins; a service may use it in its own error mapping.
 */
public final class Unavailability {

    private static final Logger LOG = Logger.getLogger(Unavailability.class);

    private Unavailability() {}

    /** Whether {@code failure}, or anything it wraps, says the database is unreachable or shutting down. */
    public static boolean isDatabaseUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    // 08: connection exception; 57P01-03: the server is shutting down or not accepting connections
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getMessage() != null && sql.getMessage().contains("acquisition timeout")) {
                return true; // Agroal: no connection could be had in time (the database is not answering)
            }
        }
        return false;
    }

    /** The 503 a caller hears; why the database could not be reached goes to this service's log. */
    public static KitProblem databaseUnavailable(Throwable failure) {
        LOG.warnf("database unavailable, answered 503: %s", failure.toString());
        return KitProblem.unavailable("database-unavailable", "This service's database cannot be reached now;"
                + " nothing was done. Retry shortly.", 2);
    }
}
