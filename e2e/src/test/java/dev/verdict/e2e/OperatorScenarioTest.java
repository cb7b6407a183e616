package dev.verdict.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/** The fixture the operator tools are tested with does what it says (else their tests prove nothing). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorScenarioTest {

    OperatorScenario scenario;

    @BeforeAll
    void start() throws Exception {
        scenario = OperatorScenario.start();
    }

    @AfterAll
    void stop() throws Exception {
        if (scenario != null) {
            scenario.close();
        }
    }

    @Test
    @Order(1)
    void theStuckTransactionIsDecidedCommitAndWaitsOnTheDownParticipantWithRisingAttempts() throws Exception {
        String id = scenario.stuckTransactionId();
        JsonNode tx = scenario.transaction(id);
        assertEquals("COMMITTING", tx.path("state").asText());
        assertEquals("COMMITTED", tx.path("outcome").asText());
        assertEquals("COMMITTED", branch(tx, scenario.upParticipant()).path("state").asText());
        JsonNode down = branch(tx, scenario.downParticipant());
        assertEquals("PREPARED", down.path("state").asText());
        assertTrue(down.path("lastError").isTextual(), "the last error is shown: " + down);
        int attempts = down.path("attempts").asInt();
        await().atMost(Duration.ofSeconds(30)).until(() ->
                branch(scenario.transaction(id), scenario.downParticipant()).path("attempts").asInt() > attempts);
        assertTrue(scenario.downParticipantEndpoint().isDown());
    }

    @Test
    @Order(2)
    void theVariantsAreUndecidedAndOnePhaseStuck() throws Exception {
        assertEquals("ACTIVE", scenario.transaction(scenario.beginUndecided()).path("state").asText());
        JsonNode onePhase = scenario.transaction(scenario.beginStuckOnePhase());
        assertEquals("PREPARING", onePhase.path("state").asText());
        assertEquals(scenario.downParticipant(), onePhase.path("branches").path(0).path("participant").asText());
    }

    @Test
    @Order(3)
    void bringingTheParticipantBackFinishesTheTransactionWithoutAnyone() throws Exception {
        scenario.bringBackDownParticipant();
        await().atMost(Duration.ofSeconds(30)).until(() ->
                scenario.transaction(scenario.stuckTransactionId()).path("state").asText().equals("COMMITTED"));
    }

    private static JsonNode branch(JsonNode tx, String participant) {
        for (JsonNode b : tx.path("branches")) {
            if (b.path("participant").asText().equals(participant)) {
                return b;
            }
        }
        throw new AssertionError("no branch for " + participant + " in " + tx);
    }
}
