package dev.verdict.coordinator.port;

import dev.verdict.coordinator.model.Participant;
import dev.verdict.coordinator.model.Callback;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The participant registry's storage. */
public interface ParticipantStore {

    Optional<Participant> find(String name);

    List<Participant> list();

    /** Creates or updates the registration. */
    Upserted upsert(String name, Callback callback, Instant now);

    record Upserted(Participant participant, boolean created) {}

    /** False when there was no such participant. */
    boolean delete(String name);
}
