package dev.verdict.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The {@code verdict} CLI as an operator uses it at 3 a.m.: the packaged jar run as a real child
 * process against a real coordinator holding a transaction decided COMMIT and stuck on a
 * participant that is down ({@link OperatorScenario}). It finds the transaction, reads why it is
 * stuck, is refused what would contradict the decision (changing nothing), resolves it with a
 * reason, and finds its action in the audit log. Exit codes are checked with the output.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliOperatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REASON = "applied by hand at bank-b, ticket OPS-12";

    OperatorScenario scenario;
    Path work;
    String tx;
    String down;

    record Run(int exitCode, String out, String err) {
        JsonNode json() throws IOException {
            return JSON.readTree(out);
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    @BeforeAll
    void start() throws Exception {
        Path jar = Service.root().resolve("cli/target/verdict.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build with -pl cli,e2e -am");
        }
        scenario = OperatorScenario.start();
        work = Service.workDir("cli");
        tx = scenario.stuckTransactionId();
        down = scenario.downParticipant();
    }

    @AfterAll
    void stop() throws Exception {
        if (scenario != null) {
            scenario.close();
        }
    }

    @Test
    @Order(1)
    void statusShowsOneTransactionInDoubtAndWhatItWaitsOn() throws Exception {
        Run status = verdict("status");
        assertEquals(0, status.exitCode(), status.toString());
        assertTrue(status.out().lines().anyMatch(l -> l.matches("In doubt:\\s+1\\b.*")), status.toString());
        assertTrue(status.out().lines().anyMatch(l -> l.startsWith(tx) && l.contains(down)), status.toString());
        assertEquals(1, verdict("status", "-o", "json").json().path("inDoubtCount").asInt());
    }

    @Test
    @Order(2)
    void theInDoubtListingHasTheStuckTransactionAndItsJsonParses() throws Exception {
        Run table = verdict("tx", "ls", "--in-doubt");
        assertEquals(0, table.exitCode(), table.toString());
        assertTrue(table.out().lines().anyMatch(l -> l.matches(tx + "\\s+COMMITTING\\s+COMMITTED\\s+.*" + down + ".*")), table.toString());

        Run json = verdict("tx", "ls", "--in-doubt", "--participant", down, "-o", "json");
        assertEquals(0, json.exitCode(), json.toString());
        List<String> ids = new ArrayList<>();
        json.json().path("items").forEach(item -> ids.add(item.path("id").asText()));
        assertEquals(List.of(tx), ids);
    }

    @Test
    @Order(3)
    void showNamesTheDownParticipantWithItsLastError() throws Exception {
        Run show = verdict("tx", "show", tx);
        assertEquals(0, show.exitCode(), show.toString());
        assertTrue(show.out().contains("Waiting on:   " + down), show.toString());
        String lastError = branch(scenario.transaction(tx), down).path("lastError").asText();
        assertFalse(lastError.isBlank());
        assertTrue(show.out().lines().anyMatch(l -> l.matches(down + "\\s+PREPARED\\s+\\d+\\s+\\S.*")), show.toString());
        assertTrue(show.out().contains("DELIVERY_FAILED"), "the history shows the failed deliveries: " + show);
    }

    @Test
    @Order(4)
    void resolvingWithoutAReasonIsAUsageErrorAndChangesNothing() throws Exception {
        Run run = verdict("tx", "resolve-branch", tx, down, "--applied", "COMMITTED");
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("--reason"), run.toString());
        assertStillStuck();
    }

    @Test
    @Order(5)
    void resolvingAgainstTheDecisionIsRefusedAndChangesNothing() throws Exception {
        Run run = verdict("tx", "resolve-branch", tx, down, "--applied", "ROLLED_BACK", "--reason", "wrong on purpose");
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains("409") && run.err().contains("COMMITTED"), "says the decision is COMMITTED: " + run);
        assertFalse(run.err().contains("Exception"), run.toString());
        assertStillStuck();
        assertEquals(0, verdict("audit", "ls", "--transaction", tx, "-o", "json").json().path("items").size(),
                "a refusal records no action");
    }

    @Test
    @Order(6)
    void aWrongKeyIsRefusedWith401AndAnUnreachableCoordinatorExitsFour() throws Exception {
        Run wrongKey = run(List.of("--url", scenario.coordinatorUrl(), "--key", "vdk_not-a-key", "status"));
        assertEquals(2, wrongKey.exitCode(), wrongKey.toString());
        assertTrue(wrongKey.err().contains("401"), wrongKey.toString());

        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Run unreachable = run(List.of("--url", "http://127.0.0.1:" + closedPort, "--key", scenario.operatorKey(), "status"));
        assertEquals(4, unreachable.exitCode(), unreachable.toString());
        assertTrue(unreachable.err().contains("cannot reach the coordinator"), unreachable.toString());
    }

    @Test
    @Order(7)
    void resolvingTheBranchWithTheDecisionAndAReasonFinishesTheTransaction() throws Exception {
        Run run = verdict("tx", "resolve-branch", tx, down, "--applied", "COMMITTED", "--reason", REASON);
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("RESOLVE_BRANCH by key:operator"), run.toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> scenario.transaction(tx).path("state").asText().equals("COMMITTED"));
        assertEquals(0, verdict("status", "-o", "json").json().path("inDoubtCount").asInt());
    }

    @Test
    @Order(8)
    void theAuditLogShowsTheActionWithItsActorAndReason() throws Exception {
        Run table = verdict("audit", "ls");
        assertEquals(0, table.exitCode(), table.toString());
        assertTrue(table.out().lines().anyMatch(l -> l.contains("key:operator") && l.contains("RESOLVE_BRANCH")
                && l.contains(tx) && l.contains(down) && l.contains(REASON)), table.toString());

        JsonNode entry = verdict("audit", "ls", "--transaction", tx, "-o", "json").json().path("items").path(0);
        assertEquals("RESOLVE_BRANCH", entry.path("action").asText());
        assertEquals(REASON, entry.path("reason").asText());
        assertTrue(verdict("tx", "show", tx).out().contains("OPERATOR_ACTION"), "the history shows the action too");
    }

    @Test
    @Order(9)
    void anUndecidedTransactionIsRolledBackAndAParticipantPausedAndResumed() throws Exception {
        String undecided = scenario.beginUndecided();
        Run rollback = verdict("tx", "rollback", undecided, "--reason", "its client is gone");
        assertEquals(0, rollback.exitCode(), rollback.toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> scenario.transaction(undecided).path("outcome").asText().equals("ROLLED_BACK"));

        assertEquals(0, verdict("participants", "pause", down, "--reason", "database migration").exitCode());
        Run paused = verdict("participants", "show", down);
        assertTrue(paused.out().contains("database migration"), paused.toString());
        assertEquals(0, verdict("participants", "resume", down, "--reason", "migration done").exitCode());
        Run resumed = verdict("participants", "show", down);
        assertTrue(resumed.out().lines().anyMatch(l -> l.matches("Paused: +no")), resumed.toString());
        Run listed = verdict("participants", "ls");
        assertTrue(listed.out().lines().anyMatch(l -> l.startsWith(scenario.upParticipant())), listed.toString());
    }

    @Test
    @Order(10)
    void eventsReplaysTheTransactionsHistoryFromTheStart() throws Exception {
        Run events = verdict("events", "--transaction", tx, "--since", "0", "--count", "2");
        assertEquals(0, events.exitCode(), events.toString());
        List<String> lines = events.out().lines().toList();
        assertEquals(2, lines.size(), events.toString());
        assertTrue(lines.get(0).contains("BEGUN") && lines.get(0).contains(tx), events.toString());
    }

    // --- helpers -------------------------------------------------------------------------------------

    private void assertStillStuck() throws Exception {
        JsonNode now = scenario.transaction(tx);
        assertEquals("COMMITTING", now.path("state").asText());
        assertEquals("PREPARED", branch(now, down).path("state").asText());
    }

    /** The CLI as the operator: the scenario's coordinator, the operator key. */
    private Run verdict(String... args) throws Exception {
        List<String> line = new ArrayList<>(List.of("--url", scenario.coordinatorUrl(), "--key", scenario.operatorKey()));
        line.addAll(List.of(args));
        return run(line);
    }

    /** {@code java -jar cli/target/verdict.jar ...}, with no environment or home that could name another coordinator or key. */
    private Run run(List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Duser.home=" + work, "-jar", Service.root().resolve("cli/target/verdict.jar").toString()));
        command.addAll(args);
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().remove("VERDICT_URL");
        builder.environment().remove("VERDICT_KEY");
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("verdict " + args + " did not finish within 60 s");
        }
        Run run = new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        // Every command and what it printed, in one file to read after a run (e2e/target/cli-*/transcript.txt).
        Files.writeString(work.resolve("transcript.txt"), "$ verdict " + String.join(" ", args.stream().map(a -> a.contains(" ") ? "'" + a + "'" : a).toList()) + "\n" + run + "\n",
                StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        return run;
    }

    private static JsonNode branch(JsonNode transaction, String participant) {
        for (JsonNode b : transaction.path("branches")) {
            if (b.path("participant").asText().equals(participant)) {
                return b;
            }
        }
        throw new AssertionError("no branch for " + participant + " in " + transaction);
    }
}
