package dev.verdict.participant.kit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * This service's local resources (the {@link LocalResource} beans), each a participant of its own
 * at the coordinator: its name there, and the URL it is called back at.
 */
@ApplicationScoped
public class Resources {

    private static final Pattern RESOURCE_NAME = Pattern.compile("|[a-z0-9][a-z0-9_-]{0,30}");

    private final Map<String, LocalResource> byName = new LinkedHashMap<>();
    private final String serviceName;
    private final String callbackUrl;

    @Inject
    Resources(Instance<LocalResource> beans,
              @ConfigProperty(name = "verdict.participant.name") String serviceName,
              @ConfigProperty(name = "verdict.participant.callback-url") String callbackUrl) {
        this.serviceName = serviceName;
        this.callbackUrl = callbackUrl.endsWith("/") ? callbackUrl.substring(0, callbackUrl.length() - 1) : callbackUrl;
        for (LocalResource bean : beans) {
            String name = bean.resourceName();
            if (name == null || !RESOURCE_NAME.matcher(name).matches()) {
                throw new IllegalStateException(bean.getClass().getName() + ".resourceName() is '" + name
                        + "': use \"\" for the default resource, or 1-31 of a-z, 0-9, '_' and '-'.");
            }
            LocalResource other = byName.putIfAbsent(name, bean);
            if (other != null) {
                throw new IllegalStateException("two local resources are named '" + name + "': "
                        + other.getClass().getName() + " and " + bean.getClass().getName());
            }
        }
    }

    public Collection<LocalResource> all() {
        return byName.values();
    }

    /** The resource named {@code name} ("" for the default one). */
    public Optional<LocalResource> named(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * The resource a {@code @JoinTransaction} names; with no name, the service's only resource, or
     * its default one.
     */
    public LocalResource forJoin(String name) {
        if (name.isEmpty() && byName.size() == 1) {
            return byName.values().iterator().next();
        }
        return named(name).orElseThrow(() -> new IllegalStateException(byName.isEmpty()
                ? "@JoinTransaction needs a LocalResource bean; this service has none"
                : "@JoinTransaction names resource '" + name + "', but this service's resources are " + byName.keySet()));
    }

    /** The participant name {@code resource} is registered under at the coordinator. */
    public String participantName(LocalResource resource) {
        return resource.resourceName().isEmpty() ? serviceName : serviceName + "." + resource.resourceName();
    }

    /** Where the coordinator calls {@code resource} back: {@code <url>/transactions/{id}/<action>}. */
    public String callbackUrl(LocalResource resource) {
        return resource.resourceName().isEmpty() ? callbackUrl : callbackUrl + "/" + resource.resourceName();
    }
}
