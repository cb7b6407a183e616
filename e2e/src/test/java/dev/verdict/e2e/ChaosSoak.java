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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The chaos soak: two coordinator replicas on one database and three sample banks as real
 * processes. The banks reach the coordinators through a balancer that sends each request to
 * either replica, so most transactions have requests forwarded to their owner. Clients send random
 * transfers concurrently, and every few seconds comes a seeded fault: SIGKILL and restart of
 * either coordinator or a bank, a frozen link, garbage answers, dropped database connections, a
 * lost decision acknowledgement. Then everything heals, the system goes quiet, and the checker
 * reads the whole history: money conserved, no negative balance, every transfer reported
 * committed applied at both its banks, every one reported rolled back applied at neither, and
 * nothing left in doubt.
 */
final class ChaosSoak {

    private static final long OPENING_BALANCE = 1_000_000;
    private static final int BANKS = 3;
    private static final int COORDINATORS = 2;
    private static final int CLIENTS = 4;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A transfer as its client saw it. */
    record Transfer(String tx, int from, int to, long amount, String outcome) {}

    record Result(long seed, Duration duration, int transfers, int committed, int rolledBack, int refused,
                  int unknown, int faults, List<String> violations) {

        boolean passed() {
            return violations.isEmpty();
        }

        String verdictLine() {
            return String.format("SOAK %s seed=%d duration=%ds transfers=%d committed=%d rolledBack=%d refused=%d"
                            + " unknown=%d faults=%d violations=%d", passed() ? "PASSED" : "FAILED", seed,
                    duration.toSeconds(), transfers, committed, rolledBack, refused, unknown, faults, violations.size());
        }
    }

    private final long seed;
    private final Duration duration;
    private final Random random;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ConcurrentLinkedQueue<Transfer> history = new ConcurrentLinkedQueue<>();
    private final AtomicInteger faults = new AtomicInteger();
    private final List<Service> banks = new ArrayList<>();
    private final List<LinkProxy> links = new ArrayList<>();
    private Vertx vertx;
    private EmbeddedDatabase database;
    private DbProxy dbProxy;
    private final List<Service> coordinators = new ArrayList<>();
    private Balancer balancer;
    private volatile boolean running = true;

    ChaosSoak(long seed, Duration duration) {
        this.seed = seed;
        this.duration = duration;
        this.random = new Random(seed);
    }

    Result run() throws Exception {
        try {
            startWorld();
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            for (int i = 0; i < CLIENTS; i++) {
                long clientSeed = random.nextLong();
                clients.execute(() -> sendTransfers(new Random(clientSeed)));
            }
            injectFaultsUntil(System.nanoTime() + duration.toNanos());
            running = false;
            clients.shutdown();
            clients.awaitTermination(60, TimeUnit.SECONDS);
            boolean quiet = heal();
            Result result = check(quiet);
            log(result.verdictLine());
            return result;
        } finally {
            stopWorld();
        }
    }

    // --- the world ------------------------------------------------------------------------------

    private void startWorld() throws Exception {
        Path work = Service.workDir("soak");
        vertx = Vertx.vertx();
        database = EmbeddedDatabase.start(work.resolve("coordinator-db"), true);
        dbProxy = new DbProxy(vertx, database.port());
        for (int i = 1; i <= COORDINATORS; i++) {
            Map<String, String> c = Service.coordinatorSettings(dbProxy.port(), database, "soak-" + i);
            c.put("verdict.retry.max", "1s");
            c.put("verdict.recovery.heartbeat-interval", "500ms");
            c.put("verdict.recovery.node-timeout", "4s");
            coordinators.add(new Service("coordinator-" + i, Service.coordinatorJar(), work, c));
        }
        balancer = new Balancer(vertx, coordinators.stream().map(c -> c.port).toList(), seed);
        for (int i = 0; i < BANKS; i++) {
            Service bank = new Service(bankName(i), Service.bankJar(), work, Map.of());
            banks.add(bank);
            links.add(new LinkProxy(vertx, bank.port));
        }
        for (int i = 0; i < BANKS; i++) {
            Map<String, String> p = banks.get(i).properties();
            p.put("verdict.participant.name", bankName(i));
            p.put("verdict.participant.callback-url", links.get(i).url() + "/verdict");
            p.put("quarkus.rest-client.verdict-coordinator.url", balancer.url());
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
        }
        for (Service c : coordinators) {
            c.start();
        }
        for (Service bank : banks) {
            bank.start();
        }
        for (Service bank : banks) {
            post(bank.url() + "/accounts", Map.of("id", "acct", "balance", OPENING_BALANCE));
        }
    }

    private void stopWorld() throws Exception {
        banks.addAll(coordinators);
        Service.stopAll(banks.toArray(Service[]::new));
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

    /** Any replica answers for every transaction (forwarding to the owner); after healing, all run. */
    private Service coordinator() {
        return coordinators.get(0);
    }

    private static String bankName(int i) {
        return "bank-" + (i + 1);
    }

    // --- load and faults ------------------------------------------------------------------------

    private void sendTransfers(Random r) {
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
                sleepQuietly(200); // something is down: do not spin
            }
        }
    }

    private void injectFaultsUntil(long deadline) throws Exception {
        while (System.nanoTime() < deadline) {
            sleepQuietly(3_000 + random.nextInt(3_000));
            if (System.nanoTime() >= deadline) {
                return;
            }
            faults.incrementAndGet();
            int kind = random.nextInt(7);
            int bank = random.nextInt(BANKS);
            switch (kind) {
                case 0 -> {
                    Service c = coordinators.get(random.nextInt(COORDINATORS));
                    log("SIGKILL " + c.name + ", restart");
                    c.kill();
                    c.start();
                }
                case 1 -> {
                    log("SIGKILL " + bankName(bank) + ", restart");
                    banks.get(bank).kill();
                    banks.get(bank).start();
                }
                case 2 -> {
                    log("freeze link to " + bankName(bank));
                    links.get(bank).all(LinkProxy.Fault.HOLD);
                    sleepQuietly(1_000 + random.nextInt(2_000));
                    links.get(bank).heal().release();
                }
                case 3 -> {
                    log("garbage and resets from " + bankName(bank));
                    links.get(bank).on("prepare", LinkProxy.Fault.GARBAGE).on("commit", LinkProxy.Fault.RESET);
                    sleepQuietly(1_000 + random.nextInt(2_000));
                    links.get(bank).heal();
                }
                case 4 -> {
                    log("replies from " + bankName(bank) + " lost");
                    links.get(bank).all(LinkProxy.Fault.LOSE_REPLY);
                    sleepQuietly(1_000 + random.nextInt(2_000));
                    links.get(bank).heal();
                }
                case 5 -> {
                    log("database connections dropped");
                    dbProxy.dropConnections();
                }
                default -> {
                    log("next decision acknowledgement lost");
                    dbProxy.loseNextDecisionAck();
                }
            }
        }
    }

    /** Ends every fault, restarts whatever is down, and waits until nothing is left to do. */
    private boolean heal() throws Exception {
        log("healing");
        links.forEach(l -> l.heal().release());
        dbProxy.restore();
        for (Service c : coordinators) {
            if (!c.isAlive()) {
                c.start();
            }
        }
        for (Service b : banks) {
            if (!b.isAlive()) {
                b.start();
            }
        }
        try {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
            JsonNode status = get(coordinator().url() + "/status");
            long held = 0;
            for (Service b : banks) {
                held += get(b.url() + "/accounts").path("held").asLong();
            }
            JsonNode counts = status.path("counts");
            boolean everyNodeAnswered = status.path("nodes").size() == COORDINATORS;
            for (JsonNode n : status.path("nodes")) {
                everyNodeAnswered &= n.path("answered").asBoolean();
            }
            return everyNodeAnswered && status.path("inDoubtCount").asInt() == 0 && held == 0
                    && counts.path("ACTIVE").asInt() == 0 && counts.path("PREPARING").asInt() == 0;
            });
            return true;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return false;
        }
    }

    // --- the checker ----------------------------------------------------------------------------

    private Result check(boolean quiet) throws Exception {
        List<String> violations = new ArrayList<>();
        if (!quiet) {
            violations.add("I4: still busy 120 s after healing (holds, undecided or in-doubt transactions left)");
        }
        long total = 0;
        for (Service b : banks) {
            JsonNode account = get(b.url() + "/accounts/acct");
            long balance = account.path("balance").asLong();
            total += balance;
            if (balance < 0) {
                violations.add("I6: negative balance at " + b.name + ": " + balance);
            }
        }
        if (total != BANKS * OPENING_BALANCE) {
            violations.add("I6: total money " + total + ", expected " + BANKS * OPENING_BALANCE);
        }
        int committed = 0;
        int rolledBack = 0;
        int refused = 0;
        int unknown = 0;
        for (Transfer t : history) {
            switch (t.outcome()) {
                case "COMMITTED" -> {
                    committed++;
                    expectAtBothBanks(t, "COMMITTED", violations);
                }
                case "ROLLED_BACK" -> {
                    rolledBack++;
                    if (t.tx() != null) {
                        for (int bank : new int[] {t.from(), t.to()}) {
                            if ("COMMITTED".equals(stateAt(bank, t.tx()))) {
                                violations.add("I1: " + t.tx() + " reported rolled back, committed at " + bankName(bank));
                            }
                        }
                    }
                }
                case "REFUSED" -> refused++;
                default -> unknown++;
            }
        }
        JsonNode status = get(coordinator().url() + "/status");
        if (status.path("inDoubtCount").asInt() != 0) {
            violations.add("I4: " + status.path("inDoubtCount").asInt() + " transaction(s) still in doubt");
        }
        violations.stream().limit(20).forEach(v -> log("VIOLATION " + v));
        return new Result(seed, duration, history.size(), committed, rolledBack, refused, unknown, faults.get(), violations);
    }

    private void expectAtBothBanks(Transfer t, String expected, List<String> violations) throws Exception {
        String atCoordinator = get(coordinator().url() + "/transactions/" + t.tx()).path("state").asText();
        if (!expected.equals(atCoordinator)) {
            violations.add("I2: " + t.tx() + " reported " + expected + ", coordinator has " + atCoordinator);
        }
        for (int bank : new int[] {t.from(), t.to()}) {
            String state = stateAt(bank, t.tx());
            if (!expected.equals(state)) {
                violations.add("I2: " + t.tx() + " reported " + expected + ", " + bankName(bank) + " has " + state);
            }
        }
    }

    private String stateAt(int bank, String tx) throws Exception {
        return get(banks.get(bank).url() + "/verdict/transactions/" + tx).path("state").asText("NONE");
    }

    // --- plumbing -------------------------------------------------------------------------------

    private HttpResponse<String> post(String url, Map<String, Object> body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").header("Authorization", Service.ADMIN)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(String url) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Authorization", Service.ADMIN).GET().build();
        return JSON.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis); // the pacing of the fault schedule, not a wait for a condition
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void log(String line) {
        System.out.println("soak: " + line);
    }
}
