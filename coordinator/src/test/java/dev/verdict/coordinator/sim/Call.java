package dev.verdict.coordinator.sim;

import dev.verdict.coordinator.core.Reply;

/**
 * One message on the simulated network: a request to a participant, or its reply on the way back.
 * {@code round} names the driver's round of calls it belongs to; a reply whose round is gone (the
 * deadline fired, or the coordinator restarted) is dropped on arrival, as a real late reply is.
 */
record Call(long round, Kind kind, String tx, String participant, Reply reply) {

    enum Kind { PREPARE, COMMIT, ROLLBACK, ONE_PHASE }

    boolean isReply() {
        return reply != null;
    }

    Call answered(Reply r) {
        return new Call(round, kind, tx, participant, r);
    }
}
