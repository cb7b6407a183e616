package dev.verdict.coordinator.health;

import dev.verdict.coordinator.port.TransactionQueries;
import dev.verdict.coordinator.service.CoordinatorNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only when the transaction log answers, its writer's last group landed, start-up recovery
 * has run (this node is registered, so the others can forward to it), its last heartbeat is recent
 * (so it may begin transactions), and it is neither draining, stopping nor shut out by another process
 * under its name.
 */
@Readiness
@ApplicationScoped
public class CoordinatorReadiness implements HealthCheck {

    @Inject
    TransactionQueries queries;

    @Inject
    CoordinatorNode coordinator;

    @Override
    public HealthCheckResponse call() {
        boolean serving = coordinator.recovery().isServing();
        boolean writing = coordinator.logWriter().available();
        var response = HealthCheckResponse.named("transaction-log").withData("recovered", serving)
                .withData("writing", writing).withData("node", coordinator.node().name());
        try {
            queries.ping();
        } catch (RuntimeException e) {
            return response.down().withData("error", String.valueOf(e.getMessage())).build();
        }
        return response.status(serving && writing).build();
    }
}
