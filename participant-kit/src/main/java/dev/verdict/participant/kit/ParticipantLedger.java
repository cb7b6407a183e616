package dev.verdict.participant.kit;

import dev.verdict.protocol.Vote;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The participant side of the protocol: one row per resource and transaction, locked for every
 * callback, so duplicates, late arrivals and reordering (rollback before prepare) each have exactly
 * one effect. Each method is one local transaction covering both the row and the resource's work;
 * the row is written with plain JDBC on the service's own datasource, so it shares the transaction
 * (and the connection) with whatever the work writes through Hibernate or JDBC.
 */
@ApplicationScoped
public class ParticipantLedger {

    @Inject
    DataSource dataSource;

    /**
     * Runs {@code work} for {@code txId} in one local transaction with the joined state: both commit
     * or neither (a joined transaction without its work would vote READ_ONLY and let the others
     * commit alone), and the row lock orders the work against the callbacks, so none slips in after
     * prepare. Refused once the transaction is prepared or finished here.
     */
    @Transactional
    public <T> T joinWork(LocalResource resource, String txId, Callable<T> work) throws Exception {
        LocalState state = lock(resource, txId, LocalState.ACTIVE);
        if (state != LocalState.ACTIVE) {
            throw new KitProblem(409, "transaction-not-active", "Transaction " + txId + " is " + state
                    + " at this participant; no more work can join it.").about(txId);
        }
        return work.call();
    }

    /** A vote never seen here is ABORT, and leaves a tombstone so that no work joins it later (protocol.md, 5.1). */
    @Transactional
    public Vote prepare(LocalResource resource, String txId) {
        LocalState state = lock(resource, txId, LocalState.ROLLED_BACK);
        return switch (state) {
            case ACTIVE -> {
                Vote vote = resource.prepare(txId);
                if (vote == Vote.ABORT) {
                    resource.rollback(txId, false);
                }
                move(resource, txId, switch (vote) {
                    case PREPARED -> LocalState.PREPARED;
                    case READ_ONLY -> LocalState.READ_ONLY;
                    case ABORT -> LocalState.ROLLED_BACK;
                });
                yield vote;
            }
            case PREPARED -> Vote.PREPARED;
            case READ_ONLY, COMMITTED -> Vote.READ_ONLY;
            case ROLLED_BACK -> Vote.ABORT; // rolled back (or rollback arrived first): the late prepare is refused
        };
    }

    /** @return the outcome to report: COMMITTED, or ROLLED_BACK (which the coordinator records as heuristic) */
    @Transactional
    public LocalState commit(LocalResource resource, String txId) {
        Optional<LocalState> found = lockIfPresent(resource, txId);
        if (found.isEmpty() || found.get() == LocalState.ACTIVE) {
            // Commit without a prepared vote from us is a protocol error; refusing keeps the coordinator
            // retrying, so the transaction stays visible as in doubt instead of silently diverging.
            throw new KitProblem(409, "not-prepared", "Transaction " + txId + " was never prepared here.").about(txId);
        }
        LocalState state = found.get();
        if (state == LocalState.PREPARED) {
            resource.commit(txId);
            state = move(resource, txId, LocalState.COMMITTED);
        }
        return state == LocalState.READ_ONLY ? LocalState.COMMITTED : state;
    }

    @Transactional
    public LocalState rollback(LocalResource resource, String txId) {
        LocalState state = lock(resource, txId, LocalState.ROLLED_BACK);
        if (state == LocalState.ACTIVE || state == LocalState.PREPARED) {
            resource.rollback(txId, state == LocalState.PREPARED);
            state = move(resource, txId, LocalState.ROLLED_BACK);
        }
        // A read-only voter has nothing to undo. It hears a rollback when its vote was lost on the
        // way back; answering COMMITTED would be recorded as a (false) heuristic outcome.
        return state == LocalState.READ_ONLY ? LocalState.ROLLED_BACK : state;
    }

    /** One participant only: prepare and commit in one local transaction; we decide. */
    @Transactional
    public LocalState commitOnePhase(LocalResource resource, String txId) {
        LocalState state = lock(resource, txId, LocalState.ROLLED_BACK);
        if (state == LocalState.ACTIVE) {
            Vote vote = resource.prepare(txId);
            if (vote == Vote.ABORT) {
                resource.rollback(txId, false);
                state = move(resource, txId, LocalState.ROLLED_BACK);
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
        return state == LocalState.READ_ONLY ? LocalState.COMMITTED : state;
    }

    /** Empty when this resource never heard of the transaction. */
    @Transactional
    public Optional<LocalState> stateOf(LocalResource resource, String txId) {
        return query("select state from verdict_participant_branch where resource = ? and tx_id = ?", resource, txId);
    }

    /** Transactions of {@code resource} that have waited for a decision since before {@code since}. */
    @Transactional
    public List<String> waitingSince(LocalResource resource, Instant since, int limit) {
        String states = LocalState.WAITING.stream().map(s -> "'" + s.name() + "'").collect(Collectors.joining(", "));
        String sql = "select tx_id from verdict_participant_branch where resource = ? and state in (" + states
                + ") and updated_at < ? order by updated_at limit ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, resource.resourceName());
            s.setTimestamp(2, Timestamp.from(since));
            s.setInt(3, limit);
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

    /** Inserts the row in {@code initial} unless it exists, then locks it: callers of one id queue here. */
    private LocalState lock(LocalResource resource, String txId, LocalState initial) {
        execute("insert into verdict_participant_branch (resource, tx_id, state, created_at, updated_at)"
                + " values (?, ?, ?, now(), now()) on conflict (resource, tx_id) do nothing",
                resource.resourceName(), txId, initial.name());
        return lockIfPresent(resource, txId).orElseThrow();
    }

    private Optional<LocalState> lockIfPresent(LocalResource resource, String txId) {
        return query("select state from verdict_participant_branch where resource = ? and tx_id = ? for update",
                resource, txId);
    }

    private LocalState move(LocalResource resource, String txId, LocalState next) {
        execute("update verdict_participant_branch set state = ?, updated_at = now() where resource = ? and tx_id = ?",
                next.name(), resource.resourceName(), txId);
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
            s.setString(1, resource.resourceName());
            s.setString(2, txId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(LocalState.valueOf(r.getString(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading transaction " + txId + ": " + e.getMessage(), e);
        }
    }
}
