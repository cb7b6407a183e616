package dev.verdict.coordinator.store;

import dev.verdict.coordinator.model.Callback;
import dev.verdict.coordinator.model.Participant;
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
        return Optional.ofNullable(em.find(ParticipantEntity.class, name)).map(JpaParticipantStore::toModel);
    }

    @Override
    public List<Participant> list() {
        return em.createQuery("from ParticipantEntity order by name", ParticipantEntity.class)
                .getResultStream().map(JpaParticipantStore::toModel).toList();
    }

    @Override
    public Upserted upsert(String name, Callback callback, Instant now) {
        ParticipantEntity e = em.find(ParticipantEntity.class, name, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        boolean created = e == null;
        if (created) {
            e = new ParticipantEntity();
            e.name = name;
            e.registeredAt = now;
        }
        e.callbackUrl = callback.url().toString();
        e.callbackSecret = callback.secret();
        e.updatedAt = now;
        if (created) {
            em.persist(e);
        }
        return new Upserted(toModel(e), created);
    }

    @Override
    public boolean delete(String name) {
        return em.createQuery("delete from ParticipantEntity where name = :n").setParameter("n", name).executeUpdate() > 0;
    }

    private static Participant toModel(ParticipantEntity e) {
        return new Participant(e.name, new Callback(URI.create(e.callbackUrl), e.callbackSecret), e.registeredAt, e.updatedAt);
    }
}
