package dev.verdict.coordinator.metrics;

import dev.verdict.coordinator.core.Durability;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionScoped;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a transaction costs, counted where the cost is paid: log writes by durability, SQL
 * statements and database transactions, calls to participants. A benchmark or a dashboard divides
 * them by finished transactions. Exposed at {@code /q/metrics}; see docs/operations.md.
 */
@ApplicationScoped
public class VerdictMetrics {

    @Inject
    MeterRegistry registry;

    private final Map<Durability, Counter> writes = new EnumMap<>(Durability.class);
    private final Map<String, Counter> calls = new ConcurrentHashMap<>();
    private Counter statements;
    private Counter databaseTransactions;

    @PostConstruct
    void init() {
        for (Durability d : new Durability[] {Durability.LAZY, Durability.FORCED}) {
            writes.put(d, Counter.builder("verdict.log.writes")
                    .description("Transaction log writes committed; forced ones waited for the WAL flush")
                    .tag("durability", d.name().toLowerCase()).register(registry));
        }
        statements = Counter.builder("verdict.db.statements")
                .description("SQL statements sent to the coordinator's database").register(registry);
        databaseTransactions = Counter.builder("verdict.db.transactions")
                .description("Database transactions begun on the coordinator's database").register(registry);
    }

    /** A log write whose database transaction committed. */
    public void written(Durability durability) {
        Counter c = writes.get(durability);
        if (c != null) {
            c.increment();
        }
    }

    public void statement() {
        statements.increment();
    }

    /** One call to a participant, counted when it is sent, whatever its fate. */
    public void participantCall(String action) {
        calls.computeIfAbsent(action, a -> Counter.builder("verdict.participant.calls")
                .description("Calls sent to participants").tag("action", a).register(registry)).increment();
    }

    /** A database transaction outside JTA (the log's JDBC writes count theirs here). */
    public void databaseTransaction() {
        databaseTransactions.increment();
    }

    void transactionBegun(@Observes @Initialized(TransactionScoped.class) Object event) {
        databaseTransactions.increment();
    }
}
