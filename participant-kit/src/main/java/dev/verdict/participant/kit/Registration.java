package dev.verdict.participant.kit;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Registers this service with the coordinator at start-up, retrying in the background until the
 * coordinator answers, so services and coordinator can start in any order; then re-asserts the
 * registration every {@code verdict.participant.reassert-every}, so that one removed by mistake
 * (or changed by a stale deployment) heals without a restart.
 */
@ApplicationScoped
public class Registration {

    private static final Logger LOG = Logger.getLogger(Registration.class);

    @Inject
    @RestClient
    CoordinatorApi coordinator;

    @Inject
    Resources resources;

    /** The first is registered, and signs every callback; the others are still accepted (a rotation). */
    @ConfigProperty(name = "verdict.participant.callback-secrets")
    List<String> callbackSecrets;

    @ConfigProperty(name = "verdict.participant.reassert-every", defaultValue = "30s")
    Duration reassertEvery;

    private volatile boolean registered;
    private volatile boolean stopping;

    /** Whether every local resource is registered. */
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
        while (!stopping) {
            boolean ok = true;
            for (LocalResource resource : resources.all()) {
                ok &= registerOnce(resource);
            }
            registered = ok;
            if (ok) {
                pause = 200;
            }
            try {
                // back-off between failed attempts; the re-assertion interval once registered
                Thread.sleep(ok ? reassertEvery.toMillis() : pause);
            } catch (InterruptedException e) {
                return;
            }
            pause = ok ? pause : Math.min(pause * 2, 5_000);
        }
    }

    private boolean registerOnce(LocalResource resource) {
        String name = resources.participantName(resource);
        String callbackUrl = resources.callbackUrl(resource);
        try (var response = coordinator.register(name, Map.of("callbackUrl", callbackUrl,
                "callbackSecret", callbackSecrets.get(0)))) {
            if (response.getStatus() / 100 == 2) {
                if (!registered || response.getStatus() == 201) {
                    LOG.infof("registered with the coordinator as '%s', callbacks at %s", name, callbackUrl);
                }
                return true;
            }
            LOG.errorf("coordinator refused registration of '%s' (HTTP %d): %s", name, response.getStatus(),
                    response.readEntity(String.class));
        } catch (RuntimeException e) {
            LOG.infof("coordinator not reachable (%s); retrying", e.getMessage());
        }
        return false;
    }
}
