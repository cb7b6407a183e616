package dev.verdict.coordinator.health;

import dev.verdict.coordinator.port.TransactionQueries;
import dev.verdict.coordinator.service.Recovery;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only when the transaction log answers and start-up recovery has run. */
@Readiness
@ApplicationScoped
public class CoordinatorReadiness implements HealthCheck {

    @Inject
    TransactionQueries queries;

    @Inject
    Recovery recovery;

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("transaction-log").withData("recovered", recovery.hasRecovered());
        try {
            queries.ping();
        } catch (RuntimeException e) {
            return response.down().withData("error", String.valueOf(e.getMessage())).build();
        }
        return response.status(recovery.hasRecovered()).build();
    }
}
