package dev.verdict.coordinator.sim;

import dev.verdict.coordinator.core.Reply;
import java.util.concurrent.CompletableFuture;

/**
 * One message on the simulated network between a coordinator process and a participant: a
 * request, or its reply on the way back. The reply completes the future the real driver waits on,
 * unless the call's deadline completed it first or the process that sent it is gone.
 */
record Call(SimNode.Process from, Kind kind, String tx, String participant, Reply reply, CompletableFuture<Reply> future) {

    enum Kind { PREPARE, COMMIT, ROLLBACK, ONE_PHASE }

    boolean isReply() {
        return reply != null;
    }

    Call answered(Reply r) {
        return new Call(from, kind, tx, participant, r, future);
    }
}
