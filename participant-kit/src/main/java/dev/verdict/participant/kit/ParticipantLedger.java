package dev.verdict.participant.kit;

import dev.verdict.participant.kit.LocalResource.Vote;
import dev.verdict.participant.kit.ParticipantTxEntity.State;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;

/**
 * The participant side of the protocol: one row per transaction, locked for every callback, so
 * duplicates, late arrivals and reordering (rollback before prepare) each have exactly one effect.
 * Each method is one local transaction covering both the row and the {@link LocalResource} work.
 */
@ApplicationScoped
public class ParticipantLedger {

    @Inject
    EntityManager em;

    @Inject
    LocalResource resource;

    /**
     * Runs {@code work} for {@code txId} in one local transaction with the joined state: both commit
     * or neither (a joined transaction without its work would vote READ_ONLY and let the others
     * commit alone), and the row lock orders the work against the callbacks, so none slips in after
     * prepare. Refused once the transaction is prepared or finished here.
     */
    @Transactional
    public void joinWork(String txId, Runnable work) {
        insertIfAbsent(txId, State.ACTIVE);
        ParticipantTxEntity row = lock(txId);
        if (row.state != State.ACTIVE) {
            throw new KitProblem(409, "transaction-not-active", "Transaction " + txId + " is " + row.state
                    + " at this participant; no more work can join it.");
        }
        work.run();
    }

    @Transactional
    public String prepare(String txId) {
        ParticipantTxEntity row = lockOrTombstone(txId);
        switch (row.state) {
            case ACTIVE: {
                Vote vote = resource.prepare(txId);
                if (vote == Vote.ABORT) {
                    resource.rollback(txId, false);
                    move(row, State.ROLLED_BACK);
                } else {
                    move(row, vote == Vote.PREPARED ? State.PREPARED : State.READ_ONLY);
                }
                return vote.name();
            }
            case PREPARED:
                return Vote.PREPARED.name();
            case READ_ONLY:
            case COMMITTED:
                return Vote.READ_ONLY.name();
            default:
                return Vote.ABORT.name(); // rolled back (or rollback arrived first): the late prepare is refused
        }
    }

    @Transactional
    public String commit(String txId) {
        ParticipantTxEntity row = em.find(ParticipantTxEntity.class, txId, LockModeType.PESSIMISTIC_WRITE);
        if (row == null || row.state == State.ACTIVE) {
            // Commit without a prepared vote from us is a protocol error; refusing keeps the coordinator
            // retrying, so the transaction stays visible as in doubt instead of silently diverging.
            throw new KitProblem(409, "not-prepared", "Transaction " + txId + " was never prepared here.");
        }
        if (row.state == State.PREPARED) {
            resource.commit(txId);
            move(row, State.COMMITTED);
        }
        // COMMITTED (READ_ONLY had nothing to commit), or ROLLED_BACK, which the coordinator records
        // as a heuristic outcome.
        return row.state == State.READ_ONLY ? State.COMMITTED.name() : row.state.name();
    }

    @Transactional
    public String rollback(String txId) {
        ParticipantTxEntity row = lockOrTombstone(txId);
        if (row.state == State.ACTIVE || row.state == State.PREPARED) {
            resource.rollback(txId, row.state == State.PREPARED);
            move(row, State.ROLLED_BACK);
        }
        // A read-only voter has nothing to undo. It hears a rollback when its vote was lost on the
        // way back; answering COMMITTED would be recorded as a (false) heuristic outcome.
        return row.state == State.READ_ONLY ? State.ROLLED_BACK.name() : row.state.name();
    }

    /** One participant only: prepare and commit in one local transaction; we decide. */
    @Transactional
    public String commitOnePhase(String txId) {
        ParticipantTxEntity row = lockOrTombstone(txId);
        if (row.state == State.ACTIVE) {
            Vote vote = resource.prepare(txId);
            if (vote == Vote.ABORT) {
                resource.rollback(txId, false);
                move(row, State.ROLLED_BACK);
            } else {
                if (vote == Vote.PREPARED) {
                    resource.commit(txId);
                }
                move(row, State.COMMITTED);
            }
        } else if (row.state == State.PREPARED) {
            resource.commit(txId);
            move(row, State.COMMITTED);
        }
        return row.state == State.READ_ONLY ? State.COMMITTED.name() : row.state.name();
    }

    /** ACTIVE, PREPARED, READ_ONLY, COMMITTED or ROLLED_BACK; empty when never heard of. */
    @Transactional
    public java.util.Optional<String> stateOf(String txId) {
        return java.util.Optional.ofNullable(em.find(ParticipantTxEntity.class, txId)).map(row -> row.state.name());
    }

    /** Transactions here that have waited longer than {@code since} for a decision. */
    @Transactional
    public List<String> waitingSince(Instant since) {
        return em.createQuery("select txId from ParticipantTxEntity where state in :s and updatedAt < :t",
                        String.class)
                .setParameter("s", List.of(State.ACTIVE, State.PREPARED)).setParameter("t", since)
                .setMaxResults(500).getResultList();
    }

    private ParticipantTxEntity lockOrTombstone(String txId) {
        insertIfAbsent(txId, State.ROLLED_BACK);
        return lock(txId);
    }

    private void insertIfAbsent(String txId, State state) {
        em.createNativeQuery("insert into verdict_participant_tx (tx_id, state, created_at, updated_at)"
                        + " values (?1, ?2, now(), now()) on conflict (tx_id) do nothing")
                .setParameter(1, txId).setParameter(2, state.name()).executeUpdate();
    }

    private ParticipantTxEntity lock(String txId) {
        return em.find(ParticipantTxEntity.class, txId, LockModeType.PESSIMISTIC_WRITE);
    }

    private static void move(ParticipantTxEntity row, State next) {
        row.state = next;
        row.updatedAt = Instant.now();
    }
}
