package dev.verdict.e2e;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * What an operator meets at 3 a.m., made for real, for the tests of the operator tools (the CLI,
 * the console): the packaged coordinator as a child process with its own PostgreSQL, two scripted
 * participants in this JVM ({@link ScriptedParticipant}), and one transaction <b>decided COMMIT
 * and stuck</b>: both voted PREPARED, the client heard COMMITTED, {@link #upParticipant()} applied
 * it, and {@link #downParticipant()} went down before it could, so its branch stays PREPARED with
 * its attempts rising and a last error. Nothing resolves it but the participant coming back
 * ({@link #bringBackDownParticipant()}) or an operator.
 *
 * <pre>{@code
 * try (OperatorScenario scenario = OperatorScenario.start()) {
 *     String tx = scenario.stuckTransactionId();   // COMMITTING, waiting on scenario.downParticipant()
 *     ... call scenario.coordinatorUrl() with "Bearer " + scenario.operatorKey() ...
 * }
 * }</pre>
 *
 * More cases on demand: {@link #beginUndecided()} (an ACTIVE transaction an operator may roll
 * back) and {@link #beginStuckOnePhase()} (a one-phase commit handed to the down participant).
 * Start one scenario per test class: it costs a coordinator start (several seconds).
 */
public final class OperatorScenario implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final Service coordinator;
    private final ScriptedParticipant up;
    private final ScriptedParticipant down;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String stuckTransactionId;

    private OperatorScenario(Service coordinator, ScriptedParticipant up, ScriptedParticipant down) {
        this.coordinator = coordinator;
        this.up = up;
        this.down = down;
    }

    /** Starts everything and makes the stuck transaction; returns once it is visibly stuck. */
    public static OperatorScenario start() throws Exception {
        return start(true);
    }

    /**
     * Starts everything but makes no stuck transaction yet: for a test that must watch one appear
     * (the console's live overview), which then calls {@link #makeStuckTransaction()}.
     */
    public static OperatorScenario startWithoutStuckTransaction() throws Exception {
        return start(false);
    }

    private static OperatorScenario start(boolean makeStuck) throws Exception {
        Service coordinator = new Service("coordinator", Service.coordinatorJar(), Service.workDir("operator"), Map.of(
                "verdict.auth.api-key-file", Service.keyFile().toString(),
                "verdict.participant.call-timeout", "5s",
                "verdict.retry.initial", "100ms",
                "verdict.retry.max", "1s", // attempts visibly rise while a test looks
                "verdict.transaction.outcome-wait", "2s"));
        OperatorScenario scenario = new OperatorScenario(coordinator,
                ScriptedParticipant.start("bank-a"), ScriptedParticipant.start("bank-b"));
        try {
            coordinator.start();
            scenario.register(scenario.up);
            scenario.register(scenario.down);
            if (makeStuck) {
                scenario.stuckTransactionId = scenario.commitWhileDownParticipantFails();
            }
            return scenario;
        } catch (Exception | AssertionError e) {
            scenario.close();
            throw e;
        }
    }

    public String coordinatorUrl() {
        return coordinator.url();
    }

    /** Role operator only: reads everything, runs the operator actions, commits nothing of its own. */
    public String operatorKey() {
        return Service.OPERATOR_KEY;
    }

    /** Decided COMMIT; {@link #upParticipant()} committed, {@link #downParticipant()} still PREPARED. */
    public String stuckTransactionId() {
        return stuckTransactionId;
    }

    /**
     * Makes the stuck transaction now (after {@link #startWithoutStuckTransaction()}); returns its
     * id once it is visibly stuck. Only once: the down participant must still be up to vote.
     */
    public String makeStuckTransaction() throws IOException, InterruptedException {
        if (stuckTransactionId != null || down.isDown()) {
            throw new IllegalStateException("the stuck transaction exists already; make it once, on a scenario started without it");
        }
        stuckTransactionId = commitWhileDownParticipantFails();
        return stuckTransactionId;
    }

    /** Registered, answers every callback. */
    public String upParticipant() {
        return up.name();
    }

    /** Registered, voted PREPARED, then went down: callbacks to it find the connection refused. */
    public String downParticipant() {
        return down.name();
    }

    /** The down participant's callbacks, to check what the coordinator sent it ("commit {id}", ...). */
    public ScriptedParticipant downParticipantEndpoint() {
        return down;
    }

    /** The down participant serves again; the coordinator's next retry commits its branch. */
    public void bringBackDownParticipant() throws IOException {
        down.comeBack();
    }

    /** The transaction as the operator sees it ({@code GET /transactions/{id}}). */
    public JsonNode transaction(String id) throws IOException, InterruptedException {
        return call("GET", "/transactions/" + id, Service.OPERATOR_KEY, null, 200);
    }

    /** A transaction begun by {@link #upParticipant()}, which enlisted in it: ACTIVE for an hour. */
    public String beginUndecided() throws IOException, InterruptedException {
        String id = begin(3_600_000);
        enlist(id, up);
        return id;
    }

    /**
     * A one-phase commit handed to {@link #downParticipant()}, which cannot answer: it stays
     * PREPARING with its attempts rising (an operator may record its outcome). The client's commit
     * answers 202 after the outcome wait; it is not waited for.
     */
    public String beginStuckOnePhase() throws IOException, InterruptedException {
        String id = begin(60_000);
        enlist(id, down);
        http.sendAsync(request("POST", "/transactions/" + id + "/commit", clientKey(), null), HttpResponse.BodyHandlers.discarding());
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).until(() -> {
            JsonNode tx = transaction(id);
            return tx.path("state").asText().equals("PREPARING") && tx.path("branches").path(0).path("attempts").asInt() >= 1;
        });
        return id;
    }

    // --- how the stuck transaction is made -------------------------------------------------------------

    private String commitWhileDownParticipantFails() throws IOException, InterruptedException {
        String id = begin(60_000);
        enlist(id, up);
        enlist(id, down);
        down.failPhaseTwo(); // it votes PREPARED, then cannot commit...
        JsonNode committed = call("POST", "/transactions/" + id + "/commit", clientKey(), null, 200);
        if (!"COMMITTED".equals(committed.path("outcome").asText())) {
            throw new AssertionError("the commit should have been decided: " + committed);
        }
        down.goDown(); // ...and is down from now on: retries find the connection refused
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).until(() -> isStuckOnDown(transaction(id)));
        return id;
    }

    private boolean isStuckOnDown(JsonNode tx) {
        if (!tx.path("state").asText().equals("COMMITTING")) {
            return false;
        }
        for (JsonNode branch : tx.path("branches")) {
            boolean isDown = branch.path("participant").asText().equals(down.name());
            boolean settled = isDown
                    ? branch.path("state").asText().equals("PREPARED") && branch.path("attempts").asInt() >= 2
                            && !branch.path("lastError").isNull()
                    : branch.path("state").asText().equals("COMMITTED");
            if (!settled) {
                return false;
            }
        }
        return true;
    }

    /** The up participant begins and commits, as a service (role client) does. */
    private String clientKey() {
        return Service.keyOf(up.name());
    }

    private void register(ScriptedParticipant participant) throws IOException, InterruptedException {
        call("PUT", "/participants/" + participant.name(), Service.keyOf(participant.name()),
                Map.of("callbackUrl", participant.callbackUrl(), "callbackSecret", Service.callbackSecretOf(participant.name())),
                201);
    }

    private String begin(long timeoutMs) throws IOException, InterruptedException {
        return call("POST", "/transactions", clientKey(), Map.of("timeoutMs", timeoutMs), 201).path("id").asText();
    }

    private void enlist(String id, ScriptedParticipant participant) throws IOException, InterruptedException {
        call("POST", "/transactions/" + id + "/branches", Service.keyOf(participant.name()),
                Map.of("participant", participant.name()), 200);
    }

    private JsonNode call(String method, String path, String key, Object body, int expectedStatus)
            throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request(method, path, key, body), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expectedStatus) {
            throw new AssertionError(method + " " + path + " answered " + response.statusCode() + ", not "
                    + expectedStatus + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private HttpRequest request(String method, String path, String key, Object body) throws IOException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(coordinator.url() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key);
        if (body == null) {
            return builder.method(method, HttpRequest.BodyPublishers.noBody()).build();
        }
        return builder.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
    }

    /** Stops the coordinator (and its PostgreSQL) and both participants. */
    @Override
    public void close() throws Exception {
        up.close();
        down.close();
        Service.stopAll(coordinator);
    }
}
