package dev.verdict.coordinator.store;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

@Entity
@Table(name = "participant")
class ParticipantEntity {

    @Id
    String name;

    String callbackUrl;

    String callbackSecret;

    Instant registeredAt;

    Instant updatedAt;

    Instant pausedAt;

    String pausedBy;

    String pauseReason;

    /** Set when it deregistered: the row stays as a tombstone until retention prunes it. */
    Instant deregisteredAt;
}
