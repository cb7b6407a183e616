package dev.verdict.participant.kit;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Registers this service with the coordinator at start-up, retrying in the background until the
 * coordinator answers, so services and coordinator can start in any order.
 */
@ApplicationScoped
public class Registration {

    private static final Logger LOG = Logger.getLogger(Registration.class);

    @Inject
    @RestClient
    CoordinatorApi coordinator;

    @ConfigProperty(name = "verdict.participant.name")
    String name;

    @ConfigProperty(name = "verdict.participant.callback-url")
    String callbackUrl;

    private volatile boolean registered;
    private volatile boolean stopping;

    public boolean isRegistered() {
        return registered;
    }

    void onStart(@Observes StartupEvent event) {
        Thread t = new Thread(this::registerUntilDone, "verdict-registration");
        t.setDaemon(true);
        t.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    private void registerUntilDone() {
        long pause = 200;
        while (!registered && !stopping) {
            try (var response = coordinator.register(name, Map.of("callbackUrl", callbackUrl))) {
                if (response.getStatus() / 100 == 2) {
                    registered = true;
                    LOG.infof("registered with the coordinator as '%s', callbacks at %s", name, callbackUrl);
                    return;
                }
                LOG.errorf("coordinator refused registration (HTTP %d): %s", response.getStatus(),
                        response.readEntity(String.class));
            } catch (RuntimeException e) {
                LOG.infof("coordinator not reachable yet (%s); retrying", e.getMessage());
            }
            try {
                Thread.sleep(pause); // back-off between registration attempts
            } catch (InterruptedException e) {
                return;
            }
            pause = Math.min(pause * 2, 5_000);
        }
    }
}
