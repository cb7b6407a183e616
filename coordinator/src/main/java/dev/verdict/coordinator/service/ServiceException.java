package dev.verdict.coordinator.service;

import dev.verdict.coordinator.core.Rejection;
import dev.verdict.coordinator.model.StoredTransaction;

/**
 * Why the service could not do what was asked. Thrown before anything was changed, or after a
 * change that is complete on its own: never with half-written state behind it. Only {@code api/}
 * turns these into HTTP answers.
 */
public abstract sealed class ServiceException extends RuntimeException {

    ServiceException(String detail) {
        super(detail, null, false, false);
    }

    /** A field is missing, malformed or out of range. */
    public static final class Invalid extends ServiceException {
        public Invalid(String detail) {
            super(detail);
        }
    }

    public static final class TransactionNotFound extends ServiceException {
        /** The id asked about; null when what was asked about cannot be an id. */
        public final String id;

        public TransactionNotFound(String id, String detail) {
            super(detail);
            this.id = id;
        }
    }

    /**
     * No record of this transaction, and its id is old enough that retention may have pruned one
     * ({@code verdict.retention.finished}): whether it committed is not known here. A participant
     * asking for the outcome is told UNKNOWN, never a presumed rollback.
     */
    public static final class Forgotten extends ServiceException {
        public final String id;

        public Forgotten(String id, String detail) {
            super(detail);
            this.id = id;
        }
    }

    /** A client asked about, or commanded, a transaction another credential began. */
    public static final class NotYours extends ServiceException {
        public final String id;

        public NotYours(String id) {
            super("Transaction '" + id + "' was begun by another credential, so this one may not use it. Only the"
                    + " credential that began a transaction commits, rolls back and reads it (an operator may read it,"
                    + " an admin may also command it).");
            this.id = id;
        }
    }

    public static final class ParticipantNotFound extends ServiceException {
        public final String name;

        public ParticipantNotFound(String name) {
            super("No participant named '" + name + "' is registered.");
            this.name = name;
        }
    }

    public static final class ParticipantNotRegistered extends ServiceException {
        public final String name;

        public ParticipantNotRegistered(String name) {
            super("Participant '" + name + "' is not registered. Register it with PUT /participants/" + name
                    + " before enlisting it.");
            this.name = name;
        }
    }

    /** Deregistering a participant that unfinished transactions still need. */
    public static final class ParticipantBusy extends ServiceException {
        public final String name;
        public final long unfinished;

        public ParticipantBusy(String name, long unfinished) {
            super("Participant '" + name + "' still takes part in " + unfinished + " unfinished transaction(s);"
                    + " deregistering it would strand them. Retry once they finish.");
            this.name = name;
            this.unfinished = unfinished;
        }
    }

    public static final class CallbackHostNotAllowed extends ServiceException {
        public final String host;

        public CallbackHostNotAllowed(String host, String why) {
            super("The coordinator will not call '" + host + "': " + why + ". Register a callback URL on the"
                    + " participant's own host (docs/security.md, \"Outbound calls\").");
            this.host = host;
        }
    }

    /** The command conflicts with the transaction's state; {@code tx} is that state. */
    public static final class Rejected extends ServiceException {
        public final StoredTransaction tx;
        public final Rejection rejection;

        public Rejected(StoredTransaction tx, Rejection rejection) {
            super("transaction " + tx.id() + " is " + tx.tx().state() + ": " + rejection);
            this.tx = tx;
            this.rejection = rejection;
        }
    }

    /**
     * The transaction log could not confirm the request. A change may or may not have been
     * recorded; the transaction is read again before anything is decided on it.
     */
    public static final class LogUnavailable extends ServiceException {
        public LogUnavailable(String detail) {
            super(detail);
        }
    }

    /**
     * The transaction belongs to another node that is alive but was not reached from here (a
     * directory a heartbeat behind, or a network between the nodes that fails). Answering from the
     * log would contradict that node; retrying reaches it, or finds it declared dead.
     */
    public static final class OwnerElsewhere extends ServiceException {
        public final String node;

        public OwnerElsewhere(String node, String detail) {
            super(detail);
            this.node = node;
        }
    }

    /** This node cannot take new work yet (it is still starting); another node, or a retry, can. */
    public static final class NotReady extends ServiceException {
        public NotReady(String detail) {
            super(detail);
        }
    }

    /** One credential has begun as many unfinished transactions here as it may. */
    public static final class TooManyOpen extends ServiceException {
        public TooManyOpen(int max) {
            super("This credential has " + max + " unfinished transactions on this coordinator node,"
                    + " its limit (verdict.transaction.max-open-per-credential); nothing was begun. Finish some, or"
                    + " retry shortly.");
        }
    }

    /** A bound was reached (live transactions in this node's memory); retrying later helps. */
    public static final class AtCapacity extends ServiceException {
        public AtCapacity(String detail) {
            super(detail);
        }
    }
}
