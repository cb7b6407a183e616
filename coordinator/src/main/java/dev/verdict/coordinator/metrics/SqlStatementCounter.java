package dev.verdict.coordinator.metrics;

import io.quarkus.hibernate.orm.PersistenceUnitExtension;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.hibernate.resource.jdbc.spi.StatementInspector;

/** Counts every statement Hibernate prepares (it sees each execution); raw JDBC work counts itself. */
@PersistenceUnitExtension
@ApplicationScoped
public class SqlStatementCounter implements StatementInspector {

    @Inject
    VerdictMetrics metrics;

    @Override
    public String inspect(String sql) {
        metrics.statement();
        return sql;
    }
}
