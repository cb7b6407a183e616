package dev.verdict.e2e;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.e2e.faults.Balancer;
import dev.verdict.e2e.faults.DbProxy;
import dev.verdict.e2e.faults.LinkProxy;
import dev.verdict.embedded.EmbeddedDatabase;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The world of the tests that run coordinator replicas under load: the replicas as real processes
 * on one PostgreSQL (behind a TCP proxy the test controls), each with its stable node name and
 * its own address advertised to the others, as the Kubernetes manifests set them; three sample
 * banks, each reached by the coordinators through an HTTP proxy, and reaching the coordinators
 * through a balancer that sends each request to any replica, so most transactions have requests
 * forwarded to their owner. Clients send random transfers concurrently. After healing and going
 * quiet, the checker reads the whole history: money conserved, no negative balance, every
 * transfer reported committed applied at both its banks, every one reported rolled back applied
 * at neither, nothing left in doubt, and no decided transaction left unfinished in the log.
 */
final class ReplicaWorld implements AutoCloseable {

    static final long OPENING_BALANCE = 1_000_000;
    static final int BANKS = 3;
    private static final Duration QUIET_PATIENCE = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A transfer as its client saw it. */
    record Transfer(String tx, int from, int to, long amount, String outcome) {}

    /** What the checker found: the transfers by their outcome as clients saw it, and every violation. */
    record Tally(int transfers, int committed, int rolledBack, int refused, int unknown, List<String> violations) {}

    final List<Service> coordinators = new ArrayList<>();
    final List<Service> banks = new ArrayList<>();
    final List<LinkProxy> links = new ArrayList<>();
    EmbeddedDatabase database;
    DbProxy dbProxy;
    private final String workName;
    private final long seed;
    private final List<String> nodeNames;
    private final Map<String, String> coordinatorSettings;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ConcurrentLinkedQueue<Transfer> history = new ConcurrentLinkedQueue<>();
    private Vertx vertx;
    private Balancer balancer;
    private ExecutorService clients;
    private volatile boolean running;

    /**
     * @param nodeNames one coordinator replica per name ({@code verdict.recovery.node-name}), kept across restarts
     * @param coordinatorSettings what every replica runs with besides its name and address (heartbeat, timeouts)
     */
    ReplicaWorld(String workName, long seed, List<String> nodeNames, Map<String, String> coordinatorSettings) {
        this.workName = workName;
        this.seed = seed;
        this.nodeNames = List.copyOf(nodeNames);
        this.coordinatorSettings = Map.copyOf(coordinatorSettings);
    }

    void start() throws Exception {
        Path work = Service.workDir(workName);
        vertx = Vertx.vertx();
        database = EmbeddedDatabase.start(work.resolve("coordinator-db"), true);
        dbProxy = new DbProxy(vertx, database.port());
        for (String name : nodeNames) {
            Map<String, String> c = Service.coordinatorSettings(dbProxy.port(), database, name);
            c.putAll(coordinatorSettings);
            Service coordinator = new Service(name, Service.coordinatorJar(), work, c);
            // Where the others forward its transactions' requests (in Kubernetes, its pod's address).
            coordinator.properties().put("verdict.recovery.advertised-url", coordinator.url());
            coordinators.add(coordinator);
        }
        balancer = new Balancer(vertx, coordinators.stream().map(c -> c.port).toList(), seed);
        for (int i = 0; i < BANKS; i++) {
            Service bank = new Service(bankName(i), Service.bankJar(), work, Map.of());
            banks.add(bank);
            links.add(new LinkProxy(vertx, bank.port));
        }
        for (int i = 0; i < BANKS; i++) {
            banks.get(i).properties().putAll(bankSettings(i));
        }
        coordinators.get(0).start(); // alone: it creates the schema
        startTogether(coordinators.subList(1, coordinators.size()));
        for (Service bank : banks) {
            // One by one: each starts an embedded PostgreSQL, and two started at once can pick the
            // same free port (one then checks the other's server, with the wrong password).
            bank.start();
        }
        for (Service bank : banks) {
            post(bank.url() + "/accounts", Map.of("id", "acct", "balance", OPENING_BALANCE));
        }
    }

    private Map<String, String> bankSettings(int i) {
        Map<String, String> p = new HashMap<>();
        p.put("verdict.participant.name", bankName(i));
        p.put("verdict.participant.callback-url", links.get(i).url() + "/verdict");
        p.put("verdict.participant.coordinator-url", balancer.url());
        p.put("verdict.participant.ask-after", "3s");
        p.put("verdict.participant.ask-every", "1s");
        p.put("bank.transfer-timeout", "5s");
        List<String> peers = new ArrayList<>();
        for (int j = 0; j < BANKS; j++) {
            if (j != i) {
                peers.add(bankName(j) + "=" + banks.get(j).url());
            }
        }
        p.put("bank.peers", String.join(",", peers));
        return p;
    }

    /** Side by side, as a StatefulSet with parallel pod management starts them. */
    private static void startTogether(List<Service> services) throws Exception {
        if (services.isEmpty()) {
            return;
        }
        ExecutorService starters = Executors.newFixedThreadPool(services.size());
        try {
            CompletableFuture.allOf(services.stream().map(s -> CompletableFuture.runAsync(() -> FaultWorld.startQuietly(s),
                    starters)).toArray(CompletableFuture[]::new)).get();
        } finally {
            starters.shutdown();
        }
    }

    @Override
    public void close() throws Exception {
        stopLoad();
        List<Service> all = new ArrayList<>(banks);
        all.addAll(coordinators);
        Service.stopAll(all.toArray(Service[]::new));
        if (balancer != null) {
            balancer.close();
        }
        if (database != null) {
            database.stop();
        }
        if (vertx != null) {
            vertx.close();
        }
    }

    static String bankName(int i) {
        return "bank-" + (i + 1);
    }

    // --- load -----------------------------------------------------------------------------------

    /**
     * {@code count} clients, each sending random transfers between the banks until {@link #stopLoad}.
     *
     * @param pace how long each client waits after each transfer: zero saturates the machine
     */
    void startLoad(int count, Duration pace, Random random) {
        running = true;
        clients = Executors.newFixedThreadPool(count);
        for (int i = 0; i < count; i++) {
            long clientSeed = random.nextLong();
            clients.execute(() -> sendTransfers(new Random(clientSeed), pace.toMillis()));
        }
    }

    void stopLoad() throws InterruptedException {
        running = false;
        if (clients != null) {
            clients.shutdown();
            clients.awaitTermination(60, TimeUnit.SECONDS);
        }
    }

    /** A transfer the test made itself, to be checked with the clients' ones. */
    void record(Transfer transfer) {
        history.add(transfer);
    }

    /** Transfers clients have seen committed so far. */
    long committedSoFar() {
        return history.stream().filter(t -> t.outcome().equals("COMMITTED")).count();
    }

    private void sendTransfers(Random r, long paceMillis) {
        while (running) {
            int from = r.nextInt(BANKS);
            int to = (from + 1 + r.nextInt(BANKS - 1)) % BANKS;
            long amount = 1 + r.nextInt(500);
            String outcome = "UNKNOWN";
            String tx = null;
            try {
                HttpResponse<String> response = post(banks.get(from).url() + "/transfers", Map.of("fromAccount", "acct",
                        "toBank", bankName(to), "toAccount", "acct", "amount", amount));
                JsonNode body = JSON.readTree(response.body());
                tx = body.path("transactionId").asText(null);
                if (response.statusCode() == 200 || response.statusCode() == 409) {
                    outcome = body.path("outcome").asText("UNKNOWN");
                } else if (tx == null) {
                    outcome = "REFUSED"; // no transaction was begun (the coordinator was down, say)
                }
            } catch (Exception e) {
                // a bank or the coordinator died under the request: the outcome is unknown to the client
            }
            history.add(new Transfer(tx, from, to, amount, outcome));
            if (!outcome.equals("COMMITTED") && !outcome.equals("ROLLED_BACK")) {
                pause(Math.max(200, paceMillis)); // something is down: do not spin
            } else if (paceMillis > 0) {
                pause(paceMillis);
            }
        }
    }

    // --- healing --------------------------------------------------------------------------------

    /** Ends every fault, restarts whatever is down, and waits until nothing is left to do. */
    boolean heal() throws Exception {
        links.forEach(l -> l.heal().release());
        dbProxy.restore();
        for (Service s : coordinators) {
            if (!s.isAlive()) {
                s.start();
            }
        }
        for (Service s : banks) {
            if (!s.isAlive()) {
                s.start();
            }
        }
        try {
            await().atMost(QUIET_PATIENCE).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(this::quiet);
            return true;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return false;
        }
    }

    private boolean quiet() throws Exception {
        JsonNode status = get(coordinators.get(0).url() + "/status");
        long held = 0;
        for (Service b : banks) {
            held += get(b.url() + "/accounts").path("held").asLong();
        }
        JsonNode counts = status.path("counts");
        boolean everyNodeAnswered = status.path("nodes").size() == coordinators.size();
        for (JsonNode n : status.path("nodes")) {
            everyNodeAnswered &= n.path("answered").asBoolean();
        }
        return everyNodeAnswered && status.path("inDoubtCount").asInt() == 0 && held == 0
                && counts.path("ACTIVE").asInt() == 0 && counts.path("PREPARING").asInt() == 0
                && unfinishedInLog() == 0;
    }

    // --- the checker ----------------------------------------------------------------------------

    Tally check(boolean quiet) throws Exception {
        List<String> violations = new ArrayList<>();
        if (!quiet) {
            violations.add("I4: still busy " + QUIET_PATIENCE.toSeconds() + " s after healing (holds, undecided,"
                    + " in-doubt or unfinished transactions left)");
        }
        checkMoney(violations);
        int committed = 0;
        int rolledBack = 0;
        int refused = 0;
        int unknown = 0;
        for (Transfer t : history) {
            switch (t.outcome()) {
                case "COMMITTED" -> {
                    committed++;
                    expectCommittedEverywhere(t, violations);
                }
                case "ROLLED_BACK" -> {
                    rolledBack++;
                    expectCommittedNowhere(t, violations);
                }
                case "REFUSED" -> refused++;
                default -> unknown++;
            }
        }
        JsonNode status = get(coordinators.get(0).url() + "/status");
        if (status.path("inDoubtCount").asInt() != 0) {
            violations.add("I4: " + status.path("inDoubtCount").asInt() + " transaction(s) still in doubt");
        }
        long unfinished = unfinishedInLog();
        if (unfinished != 0) {
            violations.add("I4: " + unfinished + " decided transaction(s) never finished in the log");
        }
        violations.stream().limit(20).forEach(v -> System.out.println("VIOLATION " + v));
        return new Tally(history.size(), committed, rolledBack, refused, unknown, violations);
    }

    private void checkMoney(List<String> violations) throws Exception {
        long total = 0;
        for (Service b : banks) {
            long balance = get(b.url() + "/accounts/acct").path("balance").asLong();
            total += balance;
            if (balance < 0) {
                violations.add("I6: negative balance at " + b.name + ": " + balance);
            }
        }
        if (total != BANKS * OPENING_BALANCE) {
            violations.add("I6: total money " + total + ", expected " + BANKS * OPENING_BALANCE);
        }
    }

    private void expectCommittedEverywhere(Transfer t, List<String> violations) throws Exception {
        String atCoordinator = get(coordinators.get(0).url() + "/transactions/" + t.tx()).path("state").asText();
        if (!"COMMITTED".equals(atCoordinator)) {
            violations.add("I2: " + t.tx() + " reported COMMITTED, coordinator has " + atCoordinator);
        }
        for (int bank : new int[] {t.from(), t.to()}) {
            String state = stateAt(bank, t.tx());
            if (!"COMMITTED".equals(state)) {
                violations.add("I2: " + t.tx() + " reported COMMITTED, " + bankName(bank) + " has " + state);
            }
        }
    }

    private void expectCommittedNowhere(Transfer t, List<String> violations) throws Exception {
        if (t.tx() == null) {
            return;
        }
        for (int bank : new int[] {t.from(), t.to()}) {
            if ("COMMITTED".equals(stateAt(bank, t.tx()))) {
                violations.add("I1: " + t.tx() + " reported rolled back, committed at " + bankName(bank));
            }
        }
    }

    private String stateAt(int bank, String tx) throws Exception {
        return get(banks.get(bank).url() + "/verdict/transactions/" + tx).path("state").asText("NONE");
    }

    // --- the log, read directly -----------------------------------------------------------------

    Connection openLog() throws SQLException {
        return DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
    }

    /** Decided transactions whose completion is not in the log: what some node must still finish. */
    private long unfinishedInLog() throws SQLException {
        try (Connection c = openLog();
             PreparedStatement s = c.prepareStatement("select count(*) from transaction_log where completed_at is null");
             ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }

    // --- plumbing -------------------------------------------------------------------------------

    HttpResponse<String> post(String url, Map<String, Object> body) throws Exception {
        return post(url, body, Map.of());
    }

    HttpResponse<String> post(String url, Map<String, Object> body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Authorization", Service.ADMIN)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode get(String url) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Authorization", Service.ADMIN).GET().build();
        return JSON.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
    }

    /** Pacing (of load after a failure, of a fault schedule), never a wait for a condition. */
    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
