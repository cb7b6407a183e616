package dev.verdict.coordinator.store;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import org.hibernate.annotations.ColumnTransformer;

/** Row of {@code transaction_log}. Mapped to and from the protocol snapshot by {@link JpaTransactionStore}. */
@Entity
@Table(name = "transaction_log")
class TransactionEntity {

    @Id
    String id;

    String state;

    String decision;

    String reason;

    @Column(columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    String branches;

    Instant createdAt;
    Instant expiresAt;
    Instant decidedAt;
    Instant completedAt;
    Instant dueAt;

    /** Node id of the coordinator process driving this transaction. */
    String owner;

    @Version
    long version;
}
