package dev.verdict.coordinator.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Who this coordinator process is among those sharing the database: a fresh id per start, which
 * every transaction row it writes records as its owner, and a stable name that lets a restart
 * take over its predecessor's transactions at once instead of waiting for the node timeout.
 */
@ApplicationScoped
public class ThisNode {

    private final String id = UUID.randomUUID().toString();
    private final String name;

    @Inject
    public ThisNode(VerdictConfig config, @ConfigProperty(name = "quarkus.http.port") int port) {
        this.name = config.recovery().nodeName().orElseGet(() -> hostName() + ":" + port);
    }

    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
