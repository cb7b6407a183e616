package dev.verdict.coordinator.store;

import dev.verdict.coordinator.model.Callback;
import dev.verdict.coordinator.model.Participant;
import dev.verdict.coordinator.model.Pause;
import dev.verdict.coordinator.port.ParticipantStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
@Transactional
public class JpaParticipantStore implements ParticipantStore {

    @Inject
    EntityManager em;

    @Override
    public Optional<Participant> find(String name) {
        return Optional.ofNullable(em.find(ParticipantEntity.class, name)).filter(e -> e.deregisteredAt == null)
                .map(JpaParticipantStore::toModel);
    }

    @Override
    public List<Participant> list() {
        return em.createQuery("from ParticipantEntity where deregisteredAt is null order by name", ParticipantEntity.class)
                .getResultStream().map(JpaParticipantStore::toModel).toList();
    }

    @Override
    public Upserted upsert(String name, Callback callback, Instant now) {
        ParticipantEntity e = em.find(ParticipantEntity.class, name, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        boolean created = e == null || e.deregisteredAt != null;
        if (e == null) {
            e = new ParticipantEntity();
            e.name = name;
        }
        if (created) {
            // New, or back after deregistering: nothing of the earlier registration carries over.
            e.registeredAt = now;
            e.deregisteredAt = null;
            e.pausedAt = null;
            e.pausedBy = null;
            e.pauseReason = null;
        }
        e.callbackUrl = callback.url().toString();
        e.callbackSecret = callback.secret();
        e.updatedAt = now;
        if (!em.contains(e)) {
            em.persist(e);
        }
        return new Upserted(toModel(e), created);
    }

    @Override
    public boolean delete(String name, Instant now) {
        return em.createQuery("update ParticipantEntity set deregisteredAt = :now, callbackSecret = null"
                + " where name = :n and deregisteredAt is null").setParameter("n", name).setParameter("now", now)
                .executeUpdate() > 0;
    }

    @Override
    public boolean pause(String name, Pause pause) {
        return em.createQuery("update ParticipantEntity set pausedAt = :at, pausedBy = :by, pauseReason = :reason"
                        + " where name = :n and deregisteredAt is null").setParameter("n", name)
                .setParameter("at", pause == null ? null : pause.at()).setParameter("by", pause == null ? null : pause.by())
                .setParameter("reason", pause == null ? null : pause.reason()).executeUpdate() > 0;
    }

    private static Participant toModel(ParticipantEntity e) {
        Pause paused = e.pausedAt == null ? null : new Pause(e.pausedAt, e.pausedBy, e.pauseReason);
        return new Participant(e.name, new Callback(URI.create(e.callbackUrl), e.callbackSecret), e.registeredAt,
                e.updatedAt, paused);
    }
}
