package dev.verdict.coordinator.port;

import dev.verdict.coordinator.model.Participant;
import dev.verdict.coordinator.model.Pause;
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

    /**
     * Deregisters: the row stays as a tombstone (its secret forgotten) until retention prunes it;
     * {@link #find} and {@link #list} no longer see it. False when there was no such participant.
     */
    boolean delete(String name, Instant now);

    /** Holds deliveries back ({@code pause} given) or lets them go again (null). False when there is no such participant. */
    boolean pause(String name, Pause pause);
}
