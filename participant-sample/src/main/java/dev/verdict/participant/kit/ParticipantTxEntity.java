package dev.verdict.participant.kit;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "verdict_participant_tx")
class ParticipantTxEntity {

    /**
     * ACTIVE (working), PREPARED (voted, in doubt), READ_ONLY (voted so: nothing to commit or undo),
     * COMMITTED, ROLLED_BACK.
     */
    enum State { ACTIVE, PREPARED, READ_ONLY, COMMITTED, ROLLED_BACK }

    @Id
    String txId;

    @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
    State state;

    Instant createdAt;

    Instant updatedAt;
}
