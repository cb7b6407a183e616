package dev.verdict.coordinator.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verdict.coordinator.service.Pruner;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Retention (verdict.retention.*, defaults: 7 d finished, 1 d dead nodes, 30 d tombstones): what a
 * prune deletes and what it must keep, and what is answered for an id whose record may be gone.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PruningTest {

    @Inject
    AgroalDataSource db;

    @Inject
    Pruner pruner;

    LogFixture log;
    final Instant now = Instant.now();
    final Instant monthAgo = now.minus(Duration.ofDays(30));

    @BeforeAll
    void setUp() {
        RestAssured.replaceFiltersWith(TestKeys.unlessSaid(TestKeys.ADMIN));
        log = new LogFixture(db);
    }

    /** Leaves no unfinished row for the nodes of later test classes to adopt and retry (as SearchApiTest). */
    @AfterAll
    void tearDown() throws Exception {
        log.update("delete from transaction_log where branches @> ?::jsonb", "[{\"participant\":\"ret-nobody\"}]");
        RestAssured.replaceFiltersWith(List.of());
    }

    @Test
    void aPruneDeletesWhatIsFinishedAndOldAndKeepsEverythingElse() throws Exception {
        String oldCommitted = LogFixture.id(monthAgo);
        log.row(oldCommitted, "COMMITTED", "COMMITTED", monthAgo, monthAgo, null, null, List.of("bank-a"));
        String oldFence = LogFixture.id(monthAgo);
        log.row(oldFence, "ROLLED_BACK", "ROLLED_BACK", monthAgo, monthAgo, null, null, List.of());
        String openHeuristic = LogFixture.id(monthAgo);
        log.row(openHeuristic, "HEURISTIC", "COMMITTED", monthAgo, monthAgo, null, null, List.of("bank-a"));
        String settledHeuristic = LogFixture.id(monthAgo);
        log.row(settledHeuristic, "HEURISTIC", "COMMITTED", monthAgo, monthAgo, monthAgo.plusSeconds(60), null, List.of("bank-a"));
        String lateSettledHeuristic = LogFixture.id(monthAgo);
        log.row(lateSettledHeuristic, "HEURISTIC", "COMMITTED", monthAgo, monthAgo, now.minus(Duration.ofDays(1)), null,
                List.of("bank-a"));
        String oldUnfinished = LogFixture.id(monthAgo);
        // This node adopts it and retries its commit to a participant nobody registered: it stays unfinished.
        log.row(oldUnfinished, "COMMITTING", "COMMITTED", monthAgo, null, null, null, List.of("ret-nobody"));
        Instant sixDays = now.minus(Duration.ofDays(6));
        String recent = LogFixture.id(sixDays);
        log.row(recent, "COMMITTED", "COMMITTED", sixDays, sixDays, null, null, List.of("bank-a"));
        history(oldCommitted, monthAgo);
        history(oldUnfinished, monthAgo);
        history(openHeuristic, monthAgo);
        history(null, monthAgo); // a participant's event
        history(recent, sixDays);
        log.update("insert into audit_log (at, node, actor, action, transaction_id, reason) values (?, 'n', 'key:ops', 'RETRY', ?, 'old')",
                LogFixture.ts(monthAgo), oldCommitted);
        String deadLongAgo = node(now.minus(Duration.ofDays(2)));
        String deadRecently = node(now.minus(Duration.ofHours(2)));
        String tombstone = participant(now.minus(Duration.ofDays(31)));
        String freshTombstone = participant(now.minus(Duration.ofDays(29)));

        Map<String, Integer> pruned = pruner.pruneOnce();

        assertTrue(pruned.get("transaction_log") >= 2, "pruned: " + pruned);
        for (String gone : List.of(oldCommitted, settledHeuristic)) {
            assertEquals(0, log.count("select count(*) from transaction_log where id = ?", gone), gone);
        }
        // A fence stays however old: it is what refuses the commit of its node, should that node wake up (I8).
        for (String kept : List.of(oldFence, openHeuristic, lateSettledHeuristic, oldUnfinished, recent)) {
            assertEquals(1, log.count("select count(*) from transaction_log where id = ?", kept), kept);
        }
        assertEquals(0, log.count("select count(*) from transaction_history where transaction_id = ?", oldCommitted));
        assertEquals(1, log.count("select count(*) from transaction_history where transaction_id = ?", oldUnfinished));
        assertEquals(1, log.count("select count(*) from transaction_history where transaction_id = ?", openHeuristic));
        assertEquals(1, log.count("select count(*) from transaction_history where transaction_id = ?", recent));
        assertEquals(0, log.count("select count(*) from transaction_history where transaction_id is null and at < ?",
                LogFixture.ts(now.minus(Duration.ofDays(7)))));
        assertEquals(1, log.count("select count(*) from audit_log where transaction_id = ?", oldCommitted), "the audit log stays");
        assertEquals(0, log.count("select count(*) from coordinator_node where node_id = ?", deadLongAgo));
        assertEquals(1, log.count("select count(*) from coordinator_node where node_id = ?", deadRecently));
        assertTrue(log.count("select count(*) from coordinator_node where heartbeat_at > '-infinity'") >= 1, "live nodes stay");
        assertEquals(0, log.count("select count(*) from participant where name = ?", tombstone));
        assertEquals(1, log.count("select count(*) from participant where name = ?", freshTombstone));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("verdict_retention_pruned_total{table=\"transaction_log\"}"));
    }

    @Test
    void oneNodePrunesAtATime() throws Exception {
        String old = LogFixture.id(monthAgo);
        log.row(old, "COMMITTED", "COMMITTED", monthAgo, monthAgo, null, null, List.of("bank-a"));
        try (Connection other = db.getConnection();
             PreparedStatement lock = other.prepareStatement("select pg_advisory_lock(" + 0x5645_5244_4943_5401L + ")")) {
            lock.execute(); // another node, pruning
            assertEquals(Map.of(), pruner.pruneOnce());
            assertEquals(1, log.count("select count(*) from transaction_log where id = ?", old));
            other.prepareStatement("select pg_advisory_unlock_all()").execute();
        }
        pruner.pruneOnce();
        assertEquals(0, log.count("select count(*) from transaction_log where id = ?", old));
    }

    /** "No record" is not "rolled back" for an id old enough that its record may have been pruned. */
    @Test
    void anIdBeyondTheRetentionWindowIsUnknownNeverPresumedRolledBack() throws Exception {
        String forgotten = LogFixture.id(monthAgo);
        given().get("/transactions/" + forgotten + "/outcome").then().statusCode(200).body("outcome", equalTo("UNKNOWN"));
        given().get("/transactions/" + forgotten).then().statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("older than the retention window"))
                .body("beyondRetention", equalTo(true));
        assertEquals(0, log.count("select count(*) from transaction_log where id = ?", forgotten), "no fence written");

        String onRecord = LogFixture.id(monthAgo);
        log.row(onRecord, "COMMITTED", "COMMITTED", monthAgo, monthAgo, null, null, List.of("bank-a"));
        given().get("/transactions/" + onRecord + "/outcome").then().statusCode(200).body("outcome", equalTo("COMMITTED"));

        // Its node's row may have been pruned (dead for verdict.retention.nodes): unknown too.
        String twoDaysOld = LogFixture.id(now.minus(Duration.ofDays(2)));
        given().get("/transactions/" + twoDaysOld + "/outcome").then().statusCode(200).body("outcome", equalTo("UNKNOWN"));
        // Minted a minute ago by a node never registered: nobody can decide it; presumed abort holds.
        String neverRegistered = LogFixture.id(now.minus(Duration.ofMinutes(1)));
        given().get("/transactions/" + neverRegistered + "/outcome").then().statusCode(200).body("outcome", equalTo("ROLLED_BACK"));
        given().get("/transactions/never.heard.of.it/outcome").then().statusCode(200).body("outcome", equalTo("ROLLED_BACK"));
    }

    private void history(String tx, Instant at) throws Exception {
        // One row of one entry, as the recorder would store it (V8): the row goes by its time.
        log.update("insert into transaction_history (first_id, last_id, transaction_id, node, at, entries)"
                + " select v, v, ?, 'n', ?, json_build_array(json_build_object('at', ?::text, 'kind', 'BEGUN', 'participant', ?::text))"
                + " from nextval('transaction_history_entry_id') v", tx, LogFixture.ts(at), at.toString(), tx == null ? "bank-a" : null);
    }

    private String node(Instant died) throws Exception {
        String id = dev.verdict.coordinator.core.TransactionIds.incarnation(System.nanoTime());
        log.update("insert into coordinator_node (node_id, name, started_at, heartbeat_at, died_at) values (?, ?, ?, '-infinity', ?)",
                id, "gone-" + id, LogFixture.ts(died.minusSeconds(60)), LogFixture.ts(died));
        return id;
    }

    private String participant(Instant deregistered) throws Exception {
        String name = "tomb-" + Long.toString(System.nanoTime(), 36);
        log.update("insert into participant (name, callback_url, registered_at, updated_at, deregistered_at)"
                + " values (?, 'http://127.0.0.1:9/v', ?, ?, ?)", name, LogFixture.ts(deregistered), LogFixture.ts(deregistered),
                LogFixture.ts(deregistered));
        return name;
    }
}
