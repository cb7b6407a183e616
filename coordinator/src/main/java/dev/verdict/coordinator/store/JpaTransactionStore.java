package dev.verdict.coordinator.store;

import dev.verdict.coordinator.core.Outcome;
import dev.verdict.coordinator.core.Transaction;
import dev.verdict.coordinator.core.TransactionState;
import dev.verdict.coordinator.model.StoredTransaction;
import dev.verdict.coordinator.port.RecoveryScan;
import dev.verdict.coordinator.port.TransactionQueries;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads of the transaction log for the poller, recovery and operators, through Hibernate. The
 * writes are {@link JdbcTransactionLog}'s.
 */
@ApplicationScoped
public class JpaTransactionStore implements RecoveryScan, TransactionQueries {

    private static final List<String> IN_DOUBT = Arrays.stream(TransactionState.values())
            .filter(TransactionState::isInDoubt).map(Enum::name).toList();

    @Inject
    EntityManager em;

    @Inject
    BranchesColumn branches;

    @Override
    @Transactional
    public List<String> due(String owner, Instant now, Instant horizon, int limit) {
        return em.createQuery("select id from TransactionEntity where owner = :owner and (dueAt <= :now"
                                + " or dueAt > :horizon and state in ('COMMITTING', 'ROLLING_BACK')) order by dueAt",
                        String.class)
                .setParameter("owner", owner).setParameter("now", now).setParameter("horizon", horizon)
                .setMaxResults(limit).getResultList();
    }

    @Override
    @Transactional
    @SuppressWarnings("unchecked")
    public List<String> claimOrphans(String node, Duration nodeTimeout, int limit) {
        // SKIP LOCKED: nodes claiming at the same moment take disjoint rows, and a row that some
        // node is changing right now is not an orphan anyway.
        return em.createNativeQuery("""
                        update transaction_log set owner = ?1, version = version + 1 where id in (
                            select t.id from transaction_log t
                            where t.due_at is not null and t.owner is distinct from ?1
                              and not exists (select 1 from coordinator_node n where n.node_id = t.owner
                                              and n.heartbeat_at >= now() - make_interval(secs => ?2))
                            order by t.due_at limit ?3 for update skip locked)
                        returning id""")
                .setParameter(1, node).setParameter(2, nodeTimeout.toMillis() / 1000.0).setParameter(3, limit)
                .getResultList();
    }

    @Override
    @Transactional
    public Optional<StoredTransaction> find(String id) {
        return Optional.ofNullable(em.find(TransactionEntity.class, id)).map(this::toModel);
    }

    @Override
    @Transactional
    public Map<TransactionState, Long> countByState() {
        Map<TransactionState, Long> counts = new EnumMap<>(TransactionState.class);
        for (TransactionState s : TransactionState.values()) {
            counts.put(s, 0L);
        }
        em.createQuery("select state, count(*) from TransactionEntity group by state", Object[].class)
                .getResultList()
                .forEach(row -> counts.put(TransactionState.valueOf((String) row[0]), (Long) row[1]));
        return counts;
    }

    @Override
    @Transactional
    public Optional<Instant> oldestUndecided() {
        return Optional.ofNullable(em.createQuery(
                "select min(createdAt) from TransactionEntity where state in ('ACTIVE', 'PREPARING')", Instant.class)
                .getSingleResult());
    }

    @Override
    @Transactional
    public List<StoredTransaction> inDoubt(int limit) {
        return em.createQuery("from TransactionEntity where state in :states order by decidedAt", TransactionEntity.class)
                .setParameter("states", IN_DOUBT).setMaxResults(limit)
                .getResultStream().map(this::toModel).toList();
    }

    @Override
    @Transactional
    public long unfinishedWith(String participant) {
        Number n = (Number) em.createNativeQuery("select count(*) from transaction_log where due_at is not null"
                        + " and branches @> jsonb_build_array(jsonb_build_object('participant', cast(:p as text)))")
                .setParameter("p", participant).getSingleResult();
        return n.longValue();
    }

    @Override
    @Transactional
    public void ping() {
        em.createNativeQuery("select 1").getSingleResult();
    }

    private StoredTransaction toModel(TransactionEntity e) {
        Transaction tx = new Transaction(e.id, TransactionState.valueOf(e.state),
                e.decision == null ? null : Outcome.valueOf(e.decision), e.reason, branches.read(e.branches));
        return new StoredTransaction(tx, e.createdAt, e.expiresAt, e.decidedAt, e.completedAt, e.dueAt);
    }
}
