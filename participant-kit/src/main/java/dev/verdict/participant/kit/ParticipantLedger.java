package dev.verdict.participant.kit;

import dev.verdict.protocol.Outcome;
import dev.verdict.protocol.ProblemTypes;
import dev.verdict.protocol.Vote;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The participant side of the protocol: one row per participant and transaction, locked for every
 * callback, so duplicates, late arrivals and reordering (rollback before prepare) each have exactly
 * one effect. Each method is one local transaction covering both the row and the resource's work;
 * the row is written with plain JDBC on the service's own datasource, so it shares the transaction
 * (and the connection) with whatever the work writes through Hibernate or JDBC.
 */
@ApplicationScoped
public class ParticipantLedger {

    private static final String WAITING = LocalState.WAITING.stream().map(s -> "'" + s.name() + "'")
            .collect(Collectors.joining(", "));

    @Inject
    DataSource dataSource;

    @Inject
    Resources resources;

    /**
     * Runs {@code work} for {@code txId} in one local transaction with the joined state: both commit
     * or neither (a joined transaction without its work would vote READ_ONLY and let the others
     * commit alone), whatever {@code work} throws, checked exceptions included. The row lock orders
     * the work against the callbacks, so none slips in after prepare. Refused once the transaction
     * is prepared or finished here.
     */
    @Transactional(rollbackOn = Exception.class)
    public <T> T joinWork(LocalResource resource, String txId, Callable<T> work) throws Exception {
        LocalState state = lock(resource, txId, LocalState.ACTIVE);
        if (state != LocalState.ACTIVE) {
            throw new KitProblem(409, "transaction-not-active", "Transaction " + txId + " is " + state
                    + " at this participant; no more work can join it.").about(txId);
        }
        return work.call();
    }

    /** An id never seen here votes ABORT and leaves a tombstone, so that no work joins it later (obligation 1). */
    @Transactional
    public Vote prepare(LocalResource resource, String txId) {
        LocalState state = lock(resource, txId, LocalState.ABORTED);
        return switch (state) {
            case ACTIVE -> {
                Vote vote = resource.prepare(txId);
                if (vote == Vote.ABORT) {
                    resource.rollback(txId, false);
                }
                move(resource, txId, switch (vote) {
                    case PREPARED -> LocalState.PREPARED;
                    case READ_ONLY -> LocalState.READ_ONLY;
                    case ABORT -> LocalState.ABORTED;
                });
                yield vote;
            }
            case PREPARED, COMMITTED -> Vote.PREPARED; // the same vote again
            case READ_ONLY -> Vote.READ_ONLY;
            case ROLLED_BACK, ABORTED -> Vote.ABORT;   // the late prepare is refused
        };
    }

    /** @return COMMITTED, or ROLLED_BACK when it was rolled back after preparing (a heuristic outcome) */
    @Transactional
    public Outcome commit(LocalResource resource, String txId) {
        LocalState state = lockIfPresent(resource, txId).orElse(LocalState.ABORTED);
        if (state == LocalState.ACTIVE || state == LocalState.ABORTED) {
            // Commit without a prepared vote from us is a protocol error; refusing keeps the coordinator
            // retrying, so the transaction stays visible as in doubt instead of silently diverging.
            throw new KitProblem(409, ProblemTypes.NOT_PREPARED, "Transaction " + txId + " was never prepared here.").about(txId);
        }
        if (state == LocalState.PREPARED) {
            resource.commit(txId);
            state = move(resource, txId, LocalState.COMMITTED);
        }
        return state == LocalState.ROLLED_BACK ? Outcome.ROLLED_BACK : Outcome.COMMITTED; // READ_ONLY had nothing to do
    }

    /** @return ROLLED_BACK, or COMMITTED when it had committed (a heuristic outcome) */
    @Transactional
    public Outcome rollback(LocalResource resource, String txId) {
        LocalState state = lock(resource, txId, LocalState.ABORTED);
        if (state == LocalState.ACTIVE) {
            resource.rollback(txId, false);
            state = move(resource, txId, LocalState.ABORTED);
        } else if (state == LocalState.PREPARED) {
            resource.rollback(txId, true);
            state = move(resource, txId, LocalState.ROLLED_BACK);
        }
        // A read-only voter has nothing to undo. It hears a rollback when its vote was lost on the
        // way back; answering COMMITTED would be recorded as a (false) heuristic outcome.
        return state == LocalState.COMMITTED ? Outcome.COMMITTED : Outcome.ROLLED_BACK;
    }

    /** One participant only: prepare and commit in one local transaction; we decide. */
    @Transactional
    public Outcome commitOnePhase(LocalResource resource, String txId) {
        LocalState state = lock(resource, txId, LocalState.ABORTED);
        if (state == LocalState.ACTIVE) {
            Vote vote = resource.prepare(txId);
            if (vote == Vote.ABORT) {
                resource.rollback(txId, false);
                state = move(resource, txId, LocalState.ABORTED);
            } else {
                if (vote == Vote.PREPARED) {
                    resource.commit(txId);
                }
                state = move(resource, txId, LocalState.COMMITTED);
            }
        } else if (state == LocalState.PREPARED) {
            resource.commit(txId);
            state = move(resource, txId, LocalState.COMMITTED);
        }
        return state == LocalState.COMMITTED || state == LocalState.READ_ONLY ? Outcome.COMMITTED : Outcome.ROLLED_BACK;
    }

    /** Empty when this participant never heard of the transaction. */
    @Transactional
    public Optional<LocalState> stateOf(LocalResource resource, String txId) {
        return query("select state from verdict_participant_branch where participant = ? and tx_id = ?", resource, txId);
    }

    /**
     * Transactions of {@code resource} waiting for a decision whose time to ask the coordinator has
     * come: silent for {@code askAfter} since their last change, or due again after an earlier
     * question. Times are the database's, like the ones written.
     */
    @Transactional
    public List<String> dueToAsk(LocalResource resource, Duration askAfter, int limit) {
        String due = "coalesce(next_ask_at, updated_at + make_interval(secs => ?))";
        String sql = "select tx_id from verdict_participant_branch where participant = ? and state in (" + WAITING
                + ") and " + due + " <= now() order by " + due + " limit ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, resources.participantName(resource));
            s.setDouble(2, askAfter.toMillis() / 1000.0);
            s.setDouble(3, askAfter.toMillis() / 1000.0);
            s.setInt(4, limit);
            List<String> ids = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    ids.add(r.getString(1));
                }
            }
            return ids;
        } catch (SQLException e) {
            throw new IllegalStateException("reading waiting transactions: " + e.getMessage(), e);
        }
    }

    /**
     * Asked about {@code txId} without an answer to act on: ask again after {@code delay} doubled
     * with each question, at most {@code longest}; {@code null} delay parks it (no more questions).
     */
    @Transactional
    public void askedWithoutAnswer(LocalResource resource, String txId, Duration delay, Duration longest) {
        String next = delay == null ? "'infinity'::timestamptz"
                : "now() + least(make_interval(secs => ?) * power(2, least(asks, 20)), make_interval(secs => ?))";
        String sql = "update verdict_participant_branch set asks = asks + 1, next_ask_at = " + next
                + " where participant = ? and tx_id = ? and state in (" + WAITING + ")";
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            int i = 1;
            if (delay != null) {
                s.setDouble(i++, delay.toMillis() / 1000.0);
                s.setDouble(i++, longest.toMillis() / 1000.0);
            }
            s.setString(i++, resources.participantName(resource));
            s.setString(i, txId);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("recording a question about " + txId + ": " + e.getMessage(), e);
        }
    }

    /** Inserts the row in {@code initial} unless it exists, then locks it: callers of one id queue here. */
    private LocalState lock(LocalResource resource, String txId, LocalState initial) {
        execute("insert into verdict_participant_branch (participant, tx_id, state, created_at, updated_at)"
                + " values (?, ?, ?, now(), now()) on conflict (participant, tx_id) do nothing",
                resources.participantName(resource), txId, initial.name());
        return lockIfPresent(resource, txId).orElseThrow();
    }

    private Optional<LocalState> lockIfPresent(LocalResource resource, String txId) {
        return query("select state from verdict_participant_branch where participant = ? and tx_id = ? for update",
                resource, txId);
    }

    /** A new state, which also restarts the clock of the questions to the coordinator. */
    private LocalState move(LocalResource resource, String txId, LocalState next) {
        execute("update verdict_participant_branch set state = ?, updated_at = now(), next_ask_at = null, asks = 0"
                + " where participant = ? and tx_id = ?", next.name(), resources.participantName(resource), txId);
        return next;
    }

    private void execute(String sql, String... parameters) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setString(i + 1, parameters[i]);
            }
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("recording a transaction's state: " + e.getMessage(), e);
        }
    }

    private Optional<LocalState> query(String sql, LocalResource resource, String txId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, resources.participantName(resource));
            s.setString(2, txId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(LocalState.valueOf(r.getString(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading transaction " + txId + ": " + e.getMessage(), e);
        }
    }
}
