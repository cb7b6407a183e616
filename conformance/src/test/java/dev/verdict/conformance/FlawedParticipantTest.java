package dev.verdict.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verdict.conformance.Check.Result;
import dev.verdict.conformance.Check.Verdict;
import dev.verdict.conformance.flawed.Flaw;
import dev.verdict.conformance.flawed.FlawedParticipant;
import dev.verdict.protocol.CallbackSignature;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The suite's checks are trusted because each fails on a participant broken in its way: the honest
 * {@link FlawedParticipant} passes every check (none skipped), and each {@link Flaw} makes the
 * check it names fail. The participant is real HTTP on loopback; only its bugs are planted.
 */
class FlawedParticipantTest {

    private static final Duration ASK_AFTER = Duration.ofMillis(300);
    private static final Duration ASK_EVERY = Duration.ofMillis(200);

    @TempDir
    Path dir;

    @Test
    void everyCheckHasAFlawThatMustMakeItFail() {
        Set<String> caught = Arrays.stream(Flaw.values()).map(f -> f.caughtBy).collect(Collectors.toSet());
        List<String> unproven = Conformance.checks().stream().map(Check::name).filter(c -> !caught.contains(c)).toList();
        assertEquals(List.of(), unproven, "checks no planted flaw proves able to fail");
    }

    @Test
    void theHonestParticipantPassesEveryCheck() throws Exception {
        List<Result> results = runAgainst(Flaw.NONE, List.of());
        List<Result> notPassed = results.stream().filter(r -> r.verdict() != Verdict.PASS).toList();
        assertEquals(List.of(), notPassed);
        assertEquals(Conformance.checks().size(), results.size());
    }

    @ParameterizedTest
    @EnumSource(value = Flaw.class, mode = EnumSource.Mode.EXCLUDE, names = "NONE")
    void eachFlawFailsItsCheck(Flaw flaw) throws Exception {
        List<Result> results = runAgainst(flaw, List.of("--only", flaw.caughtBy));
        assertEquals(1, results.size());
        Result result = results.get(0);
        assertEquals(Verdict.FAIL, result.verdict(), flaw + " was not caught by " + flaw.caughtBy + ": " + result.line());
        assertTrue(!result.detail().isBlank(), "a failure carries its evidence");
    }

    /** Runs the suite as its command line would, with the participant restarted in-process for durable-vote. */
    private List<Result> runAgainst(Flaw flaw, List<String> extra) throws Exception {
        int coordinatorPort = freePort();
        int participantPort = freePort();
        String secret = CallbackSignature.newSecret();
        Path store = dir.resolve("ledger");
        String coordinator = "http://127.0.0.1:" + coordinatorPort;
        String base = "http://127.0.0.1:" + participantPort;
        List<String> args = new ArrayList<>(List.of(
                "--participant", "flawed", "--port", Integer.toString(coordinatorPort),
                "--work", "POST " + base + "/work",
                "--read-only-work", "POST " + base + "/join",
                "--abort-work", "POST " + base + "/work-abort",
                "--observe", "GET " + base + "/state",
                "--work-header", "Authorization: Bearer not-checked",
                "--ask-after", ASK_AFTER.toMillis() + "ms", "--ask-every", ASK_EVERY.toMillis() + "ms", "--ask-within", "3s",
                "--register-within", "20s"));
        args.addAll(extra);
        Options options = Options.parse(args.toArray(String[]::new));
        FlawedParticipant[] running = {start(flaw, coordinator, participantPort, store, secret)};
        options.restart = () -> {
            running[0].close();
            running[0] = start(flaw, coordinator, participantPort, store, secret);
        };
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try {
            List<Result> results = Conformance.execute(options, new PrintStream(printed, true, StandardCharsets.UTF_8));
            System.out.println("--- " + flaw + "\n" + printed.toString(StandardCharsets.UTF_8));
            return results;
        } finally {
            running[0].close();
            Files.deleteIfExists(store);
        }
    }

    private static FlawedParticipant start(Flaw flaw, String coordinator, int port, Path store, String secret) throws Exception {
        return new FlawedParticipant(flaw, "flawed", coordinator, port, store, secret, ASK_AFTER, ASK_EVERY);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
