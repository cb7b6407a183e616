package dev.verdict.coordinator.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.coordinator.config.ThisNode;
import dev.verdict.coordinator.core.Branch;
import dev.verdict.coordinator.core.Durability;
import dev.verdict.coordinator.core.Outcome;
import dev.verdict.coordinator.core.Transaction;
import dev.verdict.coordinator.core.TransactionState;
import dev.verdict.coordinator.metrics.VerdictMetrics;
import dev.verdict.coordinator.model.StoredTransaction;
import dev.verdict.coordinator.port.RecoveryScan;
import dev.verdict.coordinator.port.TransactionLog;
import dev.verdict.coordinator.port.TransactionQueries;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.hibernate.Session;

/**
 * The transaction log on PostgreSQL. Each {@link #modify} is one short database transaction:
 * SELECT ... FOR UPDATE, then one UPDATE. Durability is chosen per transaction with
 * {@code SET LOCAL synchronous_commit}: only the commit decision waits for the WAL flush; every
 * other write rides along with the next flush (presumed abort makes losing them harmless).
 */
@ApplicationScoped
public class JpaTransactionStore implements TransactionLog, RecoveryScan, TransactionQueries {

    private static final TypeReference<List<Branch>> BRANCHES = new TypeReference<>() {};
    private static final List<String> IN_DOUBT = Arrays.stream(TransactionState.values())
            .filter(TransactionState::isInDoubt).map(Enum::name).toList();

    @Inject
    EntityManager em;

    @Inject
    ObjectMapper json;

    @Inject
    ThisNode node;

    @Inject
    VerdictMetrics metrics;

    @Override
    public void create(StoredTransaction tx) {
        QuarkusTransaction.requiringNew().run(() -> {
            setDurability(Durability.LAZY);
            TransactionEntity e = new TransactionEntity();
            e.id = tx.id();
            copy(tx, e);
            em.persist(e);
        });
        metrics.written(Durability.LAZY);
    }

    @Override
    public <R> Optional<R> modify(String id, Function<StoredTransaction, Change<R>> change) {
        Durability[] written = {Durability.NONE};
        Optional<R> result = QuarkusTransaction.requiringNew().call(() -> {
            TransactionEntity e = em.find(TransactionEntity.class, id, LockModeType.PESSIMISTIC_WRITE);
            if (e == null) {
                return Optional.empty();
            }
            Change<R> c = change.apply(toModel(e));
            if (c.next() != null && c.durability() != Durability.NONE) {
                setDurability(c.durability());
                copy(c.next(), e);
                written[0] = c.durability();
            }
            return Optional.ofNullable(c.result());
        });
        metrics.written(written[0]); // only now: the commit (and for FORCED, the flush) is done
        return result;
    }

    /** Must run inside the database transaction it applies to; SET LOCAL ends with it. */
    private void setDurability(Durability durability) {
        // Explicit in both directions, so a server configured with synchronous_commit=off still
        // forces the decision (the embedded PostgreSQL library defaults to off, for one).
        String value = durability == Durability.FORCED ? "on" : "off";
        em.unwrap(Session.class).doWork(connection -> {
            try (Statement s = connection.createStatement()) {
                s.execute("SET LOCAL synchronous_commit = " + value);
            }
            metrics.statement(); // raw JDBC: Hibernate's statement counter does not see it
        });
    }

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
                        update transaction_log set owner = ?1 where id in (
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

    private void copy(StoredTransaction from, TransactionEntity to) {
        Transaction tx = from.tx();
        to.state = tx.state().name();
        to.decision = tx.decision() == null ? null : tx.decision().name();
        to.reason = tx.reason();
        to.branches = write(tx.branches());
        to.createdAt = from.createdAt();
        to.expiresAt = from.expiresAt();
        to.decidedAt = from.decidedAt();
        to.completedAt = from.completedAt();
        to.dueAt = from.dueAt();
        to.owner = node.id(); // whoever writes a transaction is driving it
    }

    private StoredTransaction toModel(TransactionEntity e) {
        Transaction tx = new Transaction(e.id, TransactionState.valueOf(e.state),
                e.decision == null ? null : Outcome.valueOf(e.decision), e.reason, read(e.branches));
        return new StoredTransaction(tx, e.createdAt, e.expiresAt, e.decidedAt, e.completedAt, e.dueAt);
    }

    private String write(List<Branch> branches) {
        try {
            return json.writeValueAsString(branches);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise branches", e);
        }
    }

    private List<Branch> read(String branches) {
        try {
            return json.readValue(branches, BRANCHES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt branches column: " + branches, e);
        }
    }
}
