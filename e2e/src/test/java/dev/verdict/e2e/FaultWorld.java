package dev.verdict.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.verdict.e2e.faults.DbProxy;
import dev.verdict.e2e.faults.LinkProxy;
import dev.verdict.embedded.EmbeddedDatabase;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The world the fault tests run in, started once per test class: a PostgreSQL behind a TCP proxy
 * the test controls, the packaged coordinator (node c1) on it, and two sample banks, each reached
 * by the coordinator through an HTTP proxy that loses, garbles, delays or holds callbacks. Every
 * case ends by counting the money: conserved, no hold left, nothing in doubt (I6, I4).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FaultWorld {

    static final long START = 1_000_000;
    static final Duration PATIENCE = Duration.ofSeconds(60);

    Vertx vertx;
    EmbeddedDatabase database;
    DbProxy dbProxy;
    LinkProxy linkA;
    LinkProxy linkB;
    Service coordinator;
    Service bankA;
    Service bankB;
    ExecutorService clients = Executors.newCachedThreadPool();

    /** The directory name of this class's processes and logs, under e2e/target. */
    abstract String workName();

    @BeforeAll
    void start() throws Exception {
        Service.callAsAdmin();
        Path work = Service.workDir(workName());
        vertx = Vertx.vertx();
        database = EmbeddedDatabase.start(work.resolve("coordinator-db"), true);
        dbProxy = new DbProxy(vertx, database.port());
        coordinator = new Service("coordinator", Service.coordinatorJar(), work, coordinatorProperties("c1"));
        bankA = new Service("bank-a", Service.bankJar(), work, Map.of());
        bankB = new Service("bank-b", Service.bankJar(), work, Map.of());
        linkA = new LinkProxy(vertx, bankA.port);
        linkB = new LinkProxy(vertx, bankB.port);
        bankA.properties().putAll(bankProperties("bank-a", linkA));
        bankB.properties().putAll(bankProperties("bank-b", linkB));

        coordinator.start();
        bankA.start();
        bankB.start();
        await().atMost(PATIENCE).until(() ->
                given().get(coordinator.url() + "/participants").jsonPath().getList("name").size() == 2);
        open(bankA, "alice", START);
        open(bankB, "bob", START);
    }

    @AfterEach
    void healEverything() {
        linkA.heal().dropHeld();
        linkB.heal().dropHeld();
        dbProxy.restore();
    }

    @AfterAll
    void stopAll() throws Exception {
        Service.stopAll(bankA, bankB, coordinator);
        clients.shutdownNow();
        if (database != null) {
            database.stop();
        }
        if (vertx != null) {
            vertx.close();
        }
    }

    /** A second coordinator node on the same database, its name c2; forwards once each sees the other. */
    Service startPeer() throws Exception {
        Service peer = new Service("coordinator-c2", Service.coordinatorJar(), coordinator.dataDir.getParent(),
                coordinatorProperties("c2"));
        peer.start();
        await().atMost(PATIENCE).until(() -> given().get(peer.url() + "/status").jsonPath().getList("nodes.name").size() == 2);
        return peer;
    }

    // --- helpers -----------------------------------------------------------------------------------

    /** The decision and the owner the log holds for {@code tx}, read from the database itself. */
    List<String> logRecord(String tx) throws SQLException {
        try (Connection c = DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
             PreparedStatement s = c.prepareStatement("select decision, owner from transaction_log where id = ?")) {
            s.setString(1, tx);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? List.of(r.getString(1), r.getString(2)) : List.of();
            }
        }
    }

    /** The incarnation a node is running as, from its own status. */
    static String incarnationOf(Service node) {
        return given().get(node.url() + "/status?scope=node").jsonPath().getString("nodes[0].incarnation");
    }

    enum Direction { A_TO_B, B_TO_A }

    /** Balances of both accounts; the total never changes (I6). */
    record Money(long alice, long bob) {
        Money moved(Direction d, long amount) {
            return d == Direction.A_TO_B ? new Money(alice - amount, bob + amount) : new Money(alice + amount, bob - amount);
        }
    }

    Money money() {
        return new Money(account(bankA, "alice").getLong("balance"), account(bankB, "bob").getLong("balance"));
    }

    void awaitSettled(Money expected) {
        awaitSettled(expected, coordinator.url());
    }

    /** Balances as expected, total conserved, no hold left, nothing in doubt at the coordinator. */
    void awaitSettled(Money expected, String coordinatorUrl) {
        assertEquals(2 * START, expected.alice() + expected.bob(), "I6: money is conserved");
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            JsonPath alice = account(bankA, "alice");
            JsonPath bob = account(bankB, "bob");
            assertEquals(expected, new Money(alice.getLong("balance"), bob.getLong("balance")));
            assertEquals(0, alice.getLong("held") + bob.getLong("held"), "no hold left behind");
            given().get(coordinatorUrl + "/status").then().body("inDoubtCount", equalTo(0));
        });
    }

    String beginWithWork(Direction direction, long amount) {
        String tx = given().contentType(ContentType.JSON).body(Map.of("timeoutMs", 60_000))
                .post(coordinator.url() + "/transactions").then().statusCode(201).extract().header("Verdict-Transaction");
        Service debit = direction == Direction.A_TO_B ? bankA : bankB;
        Service credit = direction == Direction.A_TO_B ? bankB : bankA;
        work(debit, direction == Direction.A_TO_B ? "alice" : "bob", "debits", tx, amount);
        work(credit, direction == Direction.A_TO_B ? "bob" : "alice", "credits", tx, amount);
        return tx;
    }

    static void work(Service bank, String account, String kind, String tx, long amount) {
        given().contentType(ContentType.JSON).header("Verdict-Transaction", tx).body(Map.of("amount", amount))
                .post(bank.url() + "/accounts/" + account + "/" + kind).then().statusCode(200);
    }

    Future<Response> commitAsync(String tx) {
        String url = coordinator.url() + "/transactions/" + tx + "/commit";
        return clients.submit(() -> given().post(url));
    }

    static boolean failedOrNotCommitted(Future<Response> commit) {
        try {
            return commit.get().statusCode() != 200;
        } catch (Exception e) {
            return true; // the connection died with the coordinator
        }
    }

    /**
     * Restarts the coordinator with a crash point armed. Its call timeout is raised for this run:
     * the first prepare a freshly started bank serves can take over a second on a loaded 2-core
     * machine, and a timed-out prepare rolls back before the decision the crash point waits for.
     */
    void restartCoordinatorWith(String crashPoint) throws Exception {
        coordinator.stop();
        coordinator.start(crashPoint, "verdict.participant.call-timeout=10s");
    }

    JsonPath transaction(String tx) {
        return given().get(coordinator.url() + "/transactions/" + tx).then().statusCode(200).extract().jsonPath();
    }

    void awaitState(String tx, String state) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).until(() -> state.equals(transaction(tx).getString("state")));
    }

    String lastError(String tx) {
        return transaction(tx).getString("branches.find { it.participant == 'bank-b' }.lastError");
    }

    int attempts(String tx, String participant) {
        return transaction(tx).getInt("branches.find { it.participant == '" + participant + "' }.attempts");
    }

    static JsonPath account(Service bank, String id) {
        return given().get(bank.url() + "/accounts/" + id).then().statusCode(200).extract().jsonPath();
    }

    static void open(Service bank, String account, long balance) {
        given().contentType(ContentType.JSON).body(Map.of("id", account, "balance", balance))
                .post(bank.url() + "/accounts").then().statusCode(201);
    }

    static void startQuietly(Service s) {
        try {
            s.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    Map<String, String> coordinatorProperties(String nodeName) {
        Map<String, String> p = Service.coordinatorSettings(dbProxy.port(), database, nodeName);
        p.put("verdict.recovery.heartbeat-interval", "300ms");
        p.put("verdict.recovery.node-timeout", "3s");
        // A stop with a link held drains until this; long enough for case 19 to release it meanwhile.
        p.put("verdict.recovery.drain-timeout", "10s");
        p.put("verdict.retry.max", "500ms");
        // Longer than the call timeout: a commit whose prepare times out still hears the rollback, not 202.
        p.put("verdict.transaction.outcome-wait", "30s");
        return p;
    }

    Map<String, String> bankProperties(String name, LinkProxy link) {
        Map<String, String> p = new HashMap<>();
        p.put("verdict.participant.name", name);
        p.put("verdict.participant.callback-url", link.url() + "/verdict");
        p.put("verdict.participant.coordinator-url", coordinator.url());
        // Presumed abort: a transaction whose coordinator died undecided leaves nothing to drive its
        // rollback; its prepared participants learn it by asking, as they must (docs/protocol.md).
        p.put("verdict.participant.ask-after", "3s");
        p.put("verdict.participant.ask-every", "1s");
        return p;
    }
}
