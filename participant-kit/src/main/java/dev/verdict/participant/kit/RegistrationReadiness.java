package dev.verdict.participant.kit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready to take part in transactions until the coordinator knows where to call us. */
@Readiness
@ApplicationScoped
public class RegistrationReadiness implements HealthCheck {

    @Inject
    Registration registration;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("verdict-registration").status(registration.isRegistered()).build();
    }
}
