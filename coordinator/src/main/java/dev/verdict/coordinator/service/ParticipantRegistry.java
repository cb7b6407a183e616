package dev.verdict.coordinator.service;

import dev.verdict.coordinator.api.ProblemException;
import dev.verdict.coordinator.config.VerdictConfig;
import dev.verdict.coordinator.model.Participant;
import dev.verdict.coordinator.port.ParticipantStore;
import dev.verdict.coordinator.port.TransactionQueries;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Who may take part, and where to call them. Transactions name participants, never URLs, so no
 * request can make the coordinator call an address that was not registered (and, when
 * {@code verdict.participant.allowed-hosts} is set, allowed).
 */
@ApplicationScoped
public class ParticipantRegistry {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    @Inject
    ParticipantStore store;

    @Inject
    TransactionQueries queries;

    @Inject
    VerdictConfig config;

    @Inject
    Clock clock;

    /** Read-through cache of callback URLs: one database read per participant, not per call. */
    private final ConcurrentHashMap<String, URI> callbacks = new ConcurrentHashMap<>();

    public ParticipantStore.Upserted register(String name, String callbackUrl) {
        checkName(name);
        URI url = checkUrl(callbackUrl);
        ParticipantStore.Upserted registration = store.upsert(name, url, clock.instant());
        callbacks.put(name, url);
        return registration;
    }

    public Optional<Participant> find(String name) {
        return store.find(name);
    }

    public List<Participant> list() {
        return store.list();
    }

    public void deregister(String name) {
        long unfinished = queries.unfinishedWith(name);
        if (unfinished > 0) {
            throw new ProblemException(409, "participant-busy", "Participant has unfinished transactions",
                    "Participant '" + name + "' still takes part in " + unfinished
                            + " unfinished transaction(s); deregistering it would strand them. Retry once they finish.")
                    .with("participant", name).with("unfinishedTransactions", unfinished);
        }
        if (!store.delete(name)) {
            throw notFound(name);
        }
        callbacks.remove(name);
    }

    /** The URL to call, or empty when the participant has been deregistered. */
    public Optional<URI> callbackUrl(String name) {
        URI cached = callbacks.get(name);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<URI> stored = store.find(name).map(Participant::callbackUrl);
        stored.ifPresent(url -> callbacks.put(name, url));
        return stored;
    }

    public void requireRegistered(String name) {
        if (name == null || name.isBlank()) {
            throw ProblemException.badRequest("Field 'participant' is required: the registered name of the enlisting participant.");
        }
        if (callbackUrl(name).isEmpty()) {
            throw new ProblemException(422, "participant-not-registered", "Participant not registered",
                    "Participant '" + name + "' is not registered. Register it with PUT /participants/" + name
                            + " before enlisting it.").with("participant", name);
        }
    }

    public static ProblemException notFound(String name) {
        return new ProblemException(404, "participant-not-found", "Participant not found",
                "No participant named '" + name + "' is registered.").with("participant", name);
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ProblemException.badRequest("Participant names are 1-64 characters of a-z, 0-9, '.', '_' and '-',"
                    + " starting with a letter or digit; got '" + name + "'.");
        }
    }

    private URI checkUrl(String raw) {
        if (raw == null || raw.isBlank()) {
            throw ProblemException.badRequest("Field 'callbackUrl' is required: the absolute http(s) URL under which"
                    + " the participant serves /transactions/{id}/prepare and the other callbacks.");
        }
        URI url;
        try {
            url = new URI(raw);
        } catch (URISyntaxException e) {
            throw ProblemException.badRequest("Field 'callbackUrl' is not a valid URI: " + e.getMessage());
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
            throw ProblemException.badRequest("Field 'callbackUrl' must be an absolute http or https URL with a host; got '" + raw + "'.");
        }
        if (url.getRawUserInfo() != null || url.getRawQuery() != null || url.getRawFragment() != null || raw.length() > 2048) {
            throw ProblemException.badRequest("Field 'callbackUrl' must not carry user info, a query or a fragment,"
                    + " and must be at most 2048 characters.");
        }
        config.participant().allowedHosts().ifPresent(allowed -> {
            if (allowed.stream().noneMatch(h -> h.equalsIgnoreCase(url.getHost()))) {
                throw new ProblemException(422, "callback-host-not-allowed", "Callback host not allowed",
                        "Host '" + url.getHost() + "' is not in verdict.participant.allowed-hosts.")
                        .with("host", url.getHost());
            }
        });
        return url;
    }
}
