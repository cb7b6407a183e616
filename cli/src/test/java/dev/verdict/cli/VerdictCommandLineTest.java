package dev.verdict.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The command line against a scripted coordinator on loopback: what is sent, what is printed, exit codes. */
class VerdictCommandLineTest {

    private static final String TX = "{'id':'t1','state':'COMMITTING','outcome':'COMMITTED','createdAt':'2026-11-23T03:00:00Z',"
            + "'decidedAt':'2026-11-23T03:00:01Z','branches':[{'participant':'bank-a','state':'COMMITTED','attempts':0,'lastError':null},"
            + "{'participant':'bank-b','state':'PREPARED','attempts':7,'lastError':'Connection refused'}]}";

    ScriptedCoordinator coordinator;

    record Run(int exitCode, String out, String err) {}

    @BeforeEach
    void start() throws Exception {
        coordinator = new ScriptedCoordinator();
    }

    @AfterEach
    void stop() {
        coordinator.close();
    }

    private Run verdict(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Verdict.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void anActionWithoutAReasonIsAUsageErrorAndSendsNothing() {
        Run run = verdict("--url", coordinator.url(), "--key", "k", "tx", "resolve-branch", "t1", "bank-b", "--applied", "COMMITTED");
        assertEquals(ExitCode.USAGE, run.exitCode());
        assertTrue(run.err().contains("--reason"), run.err());
        assertEquals(0, coordinator.requests.size());

        assertEquals(ExitCode.USAGE, verdict("--url", coordinator.url(), "tx", "resolve-branch", "t1", "bank-b",
                "--applied", "MAYBE", "--reason", "r").exitCode());
        assertEquals(ExitCode.USAGE, verdict("--url", coordinator.url(), "tx", "frobnicate").exitCode());
        assertEquals(ExitCode.USAGE, verdict("--url", coordinator.url(), "tx").exitCode());
        assertEquals(0, coordinator.requests.size());
    }

    @Test
    void anActionSendsItsFieldsAndTheReasonWithTheKeyGivenAnywhereOnTheLine() {
        coordinator.json("/transactions/t1/actions/resolve-branch", 200,
                "{'transaction':" + TX.replace("PREPARED", "RESOLVED") + ",'audit':{'id':17,'actor':'key:ops','action':'RESOLVE_BRANCH'}}");
        Run run = verdict("--key", "vdk_k", "tx", "resolve-branch", "t1", "bank-b", "--applied", "committed",
                "--reason", "applied by hand", "--url", coordinator.url());
        assertEquals(ExitCode.OK, run.exitCode(), run.err());
        ScriptedCoordinator.Request sent = coordinator.requests.get(0);
        assertEquals("POST", sent.method());
        assertEquals("Bearer vdk_k", sent.authorization());
        assertEquals("{\"participant\":\"bank-b\",\"applied\":\"COMMITTED\",\"reason\":\"applied by hand\"}", sent.body());
        assertTrue(run.out().contains("RESOLVE_BRANCH by key:ops (audit #17)"), run.out());
    }

    @Test
    void aRefusalPrintsTheProblemsTitleDetailAndFieldsAndExitsTwo() {
        coordinator.problem("/transactions/t1/actions/resolve-branch", 409, "Action does not fit",
                "The decision is COMMITTED; a decision never changes.", "'outcome':'COMMITTED'");
        Run run = verdict("--url", coordinator.url(), "tx", "resolve-branch", "t1", "bank-b", "--applied", "ROLLED_BACK", "--reason", "r");
        assertEquals(ExitCode.REFUSED, run.exitCode());
        assertTrue(run.err().contains("HTTP 409 Conflict): Action does not fit: The decision is COMMITTED"), run.err());
        assertTrue(run.err().contains("outcome: COMMITTED"), run.err());
        assertFalse(run.err().contains("Exception"), run.err());
    }

    @Test
    void notFoundExitsThreeAndAFailingOrAbsentCoordinatorExitsFour() throws Exception {
        assertEquals(ExitCode.NOT_FOUND, verdict("--url", coordinator.url(), "tx", "show", "nope").exitCode());
        coordinator.problem("/status", 503, "Log unavailable", "The database failed", "");
        Run failed = verdict("--url", coordinator.url(), "status");
        assertEquals(ExitCode.UNAVAILABLE, failed.exitCode());
        assertTrue(failed.err().contains("Log unavailable"), failed.err());
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Run absent = verdict("--url", "http://127.0.0.1:" + closedPort, "status");
        assertEquals(ExitCode.UNAVAILABLE, absent.exitCode());
        assertTrue(absent.err().contains("cannot reach the coordinator"), absent.err());
    }

    @Test
    void jsonOutputIsTheApisBodyUnchangedAndTablesShowWhatIsWaited() {
        coordinator.json("/transactions", 200, "{'items':[" + TX + "],'nextCursor':'c2'}");
        Run json = verdict("--url", coordinator.url(), "tx", "ls", "--in-doubt", "--state", "COMMITTING,ROLLING_BACK", "-o", "json");
        assertEquals(ExitCode.OK, json.exitCode(), json.err());
        assertEquals(("{'items':[" + TX + "],'nextCursor':'c2'}").replace('\'', '"'), json.out().strip());
        assertEquals("/transactions?state=COMMITTING%2CROLLING_BACK&inDoubt=true", coordinator.requests.get(0).target());

        Run table = verdict("--url", coordinator.url(), "tx", "ls");
        assertTrue(table.out().lines().anyMatch(l -> l.matches("t1\\s+COMMITTING\\s+COMMITTED\\s+\\S+\\s+\\S+\\s+bank-b\\s+7\\s+Connection refused")),
                table.out());
        assertTrue(table.out().contains("--cursor c2"), table.out());
    }
}
