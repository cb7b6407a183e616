package dev.verdict.participant.kit;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "verdict_participant_tx")
class ParticipantTxEntity {

    /** ACTIVE (working), PREPARED (voted, in doubt), COMMITTED, ROLLED_BACK. */
    enum State { ACTIVE, PREPARED, COMMITTED, ROLLED_BACK }

    @Id
    String txId;

    @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
    State state;

    Instant createdAt;

    Instant updatedAt;
}
