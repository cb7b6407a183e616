package dev.verdict.coordinator.service;

import dev.verdict.coordinator.model.Callback;
import dev.verdict.coordinator.model.Participant;
import dev.verdict.coordinator.model.Pause;
import dev.verdict.coordinator.port.ParticipantStore;
import dev.verdict.protocol.CallbackSignature;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;
import java.util.regex.Pattern;

/**
 * Who may take part, and where to call them. Transactions name participants, never URLs, so no
 * request can make the coordinator call an address that was not registered, and registration
 * takes only addresses the {@link CallbackPolicy} allows.
 */
public final class ParticipantRegistry {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    private final ParticipantStore store;
    private final ToLongFunction<String> unfinishedWith;
    private final CallbackPolicy policy;
    private final Clock clock;

    /**
     * Callback URLs, reloaded whole at every heartbeat ({@link #reload}), so a registration changed
     * at another node is followed here within a heartbeat (a reload that read the table just before
     * a change made here may undo it until the next one: a retry goes to the old URL once).
     */
    private final ConcurrentHashMap<String, Callback> callbacks = new ConcurrentHashMap<>();
    /** Participants whose deliveries are paused, reloaded with the callbacks. */
    private final ConcurrentHashMap<String, Pause> paused = new ConcurrentHashMap<>();
    /** Told the name of a participant whose deliveries were resumed, here or at another node. */
    private volatile Consumer<String> onResume = name -> { };

    /** @param unfinishedWith how many unfinished transactions still need a participant */
    public ParticipantRegistry(ParticipantStore store, ToLongFunction<String> unfinishedWith,
                               CallbackPolicy policy, Clock clock) {
        this.store = store;
        this.unfinishedWith = unfinishedWith;
        this.policy = policy;
        this.clock = clock;
    }

    /** @param callbackSecret the secret every callback to it is signed with (docs/protocol.md) */
    public ParticipantStore.Upserted register(String name, String callbackUrl, String callbackSecret) {
        checkName(name);
        Callback callback = new Callback(checkUrl(callbackUrl), checkSecret(callbackSecret));
        ParticipantStore.Upserted registration = store.upsert(name, callback, clock.instant());
        callbacks.put(name, callback);
        return registration;
    }

    public Participant find(String name) {
        return store.find(name).orElseThrow(() -> new ServiceException.ParticipantNotFound(name));
    }

    public List<Participant> list() {
        return store.list();
    }

    public void deregister(String name) {
        long unfinished = unfinishedWith.applyAsLong(name);
        if (unfinished > 0) {
            throw new ServiceException.ParticipantBusy(name, unfinished);
        }
        if (!store.delete(name, clock.instant())) {
            throw new ServiceException.ParticipantNotFound(name);
        }
        callbacks.remove(name);
        paused.remove(name);
    }

    /** Holds deliveries to it back (docs/operator-api.md). Blocking. */
    public void pause(String name, Pause pause) {
        if (!store.pause(name, pause)) {
            throw new ServiceException.ParticipantNotFound(name);
        }
        paused.put(name, pause);
    }

    /** Lets deliveries to it go again, and sends what waits on it now. Blocking. */
    public void resume(String name) {
        if (!store.pause(name, null)) {
            throw new ServiceException.ParticipantNotFound(name);
        }
        if (paused.remove(name) != null) {
            onResume.accept(name);
        }
    }

    /** Why deliveries to it are held back, if they are. Never reads the database. */
    public Optional<Pause> paused(String name) {
        return paused.isEmpty() ? Optional.empty() : Optional.ofNullable(paused.get(name));
    }

    void onResume(Consumer<String> listener) {
        this.onResume = listener;
    }

    /** Replaces the cached URLs with the registry as stored now. Blocking. */
    void reload() {
        java.util.Map<String, Callback> stored = new java.util.HashMap<>();
        java.util.Map<String, Pause> pausedNow = new java.util.HashMap<>();
        for (Participant p : store.list()) {
            stored.put(p.name(), p.callback());
            if (p.paused() != null) {
                pausedNow.put(p.name(), p.paused());
            }
        }
        callbacks.keySet().retainAll(stored.keySet());
        callbacks.putAll(stored);
        for (String name : List.copyOf(paused.keySet())) {
            if (!pausedNow.containsKey(name) && paused.remove(name) != null) {
                onResume.accept(name); // resumed at another node
            }
        }
        paused.putAll(pausedNow);
    }

    /**
     * How to call it, or empty when the participant is not registered (as of the last reload, or
     * a registration or lookup here since). Never reads the database: it runs on event loops.
     */
    public Optional<Callback> callback(String name) {
        return Optional.ofNullable(callbacks.get(name));
    }

    /** Blocking on a cache miss: a participant registered at another node since the last reload. */
    public void requireRegistered(String name) {
        if (name == null || name.isBlank()) {
            throw new ServiceException.Invalid("Field 'participant' is required: the registered name of the enlisting participant.");
        }
        if (callbacks.containsKey(name)) {
            return;
        }
        Callback stored = store.find(name).map(Participant::callback)
                .orElseThrow(() -> new ServiceException.ParticipantNotRegistered(name));
        callbacks.put(name, stored);
    }

    /** Whether {@code name} is known without asking the database. */
    boolean isCached(String name) {
        return name != null && callbacks.containsKey(name);
    }

    /** Whether {@code name} could be registered; one that could not is never looked up. */
    public static boolean isName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    private static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new ServiceException.Invalid("Participant names are 1-64 characters of a-z, 0-9, '.', '_' and '-',"
                    + " starting with a letter or digit; got '" + name + "'.");
        }
    }

    private static String checkSecret(String secret) {
        try {
            CallbackSignature.decodeSecret(secret);
            return secret.strip();
        } catch (IllegalArgumentException e) {
            throw new ServiceException.Invalid("Field 'callbackSecret': " + e.getMessage() + ". The coordinator signs"
                    + " every callback with it, and the participant refuses callbacks it cannot verify; generate one"
                    + " with e.g. head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '='.");
        }
    }

    private URI checkUrl(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new ServiceException.Invalid("Field 'callbackUrl' is required: the absolute http(s) URL under which"
                    + " the participant serves /transactions/{id}/prepare and the other callbacks.");
        }
        URI url;
        try {
            url = new URI(raw);
        } catch (URISyntaxException e) {
            throw new ServiceException.Invalid("Field 'callbackUrl' is not a valid URI: " + e.getMessage());
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
            throw new ServiceException.Invalid("Field 'callbackUrl' must be an absolute http or https URL with a host; got '" + raw + "'.");
        }
        if (url.getPort() == 0 || url.getPort() > 65535 || !raw.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new ServiceException.Invalid("Field 'callbackUrl' must be printable ASCII (percent-encode anything else),"
                    + " with a port, if given, from 1 to 65535.");
        }
        if (url.getRawUserInfo() != null || url.getRawQuery() != null || url.getRawFragment() != null || raw.length() > 2048) {
            throw new ServiceException.Invalid("Field 'callbackUrl' must not carry user info, a query or a fragment,"
                    + " and must be at most 2048 characters.");
        }
        policy.checkRegistration(url.getHost());
        return url;
    }
}
