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
}
