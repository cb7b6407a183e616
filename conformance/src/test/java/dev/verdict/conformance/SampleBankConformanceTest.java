package dev.verdict.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.verdict.conformance.Check.Result;
import dev.verdict.conformance.Check.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The suite against the real sample bank, a packaged process with its own PostgreSQL, exactly as a
 * team would run it against their service: the command line, a crash and restart by shell command.
 */
class SampleBankConformanceTest {

    /**
     * Checks the bank may skip, and why: it has no request that joins a transaction without work
     * (every debit and credit records an operation), so nothing of it votes READ_ONLY.
     */
    private static final Map<String, String> JUSTIFIED_SKIPS = Map.of("read-only-lost-vote", "no --read-only-work");

    @Test
    void theSampleBankKeepsEveryObligation() throws Exception {
        Path root = Path.of(System.getProperty("verdict.root", ".."));
        int coordinatorPort = BankProcess.freePort();
        try (BankProcess bank = new BankProcess(root, root.resolve("conformance/target/bank-" + System.currentTimeMillis()),
                coordinatorPort)) {
            bank.start();
            openAccount(bank);
            String[] args = {
                "--participant", BankProcess.NAME, "--port", Integer.toString(coordinatorPort),
                "--work", "POST " + bank.url() + "/accounts/alice/debits {\"amount\":1}",
                "--abort-work", "POST " + bank.url() + "/accounts/alice/debits {\"amount\":1000000000}",
                "--observe", "GET " + bank.url() + "/accounts/alice",
                "--work-header", "Authorization: Bearer " + BankProcess.CUSTOMER_KEY,
                "--restart-command", bank.restartCommand(),
                "--ask-after", BankProcess.ASK_AFTER.toSeconds() + "s", "--ask-every", BankProcess.ASK_EVERY.toSeconds() + "s",
                "--ask-within", "10s", "--register-within", "90s"};
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            List<Result> results = Conformance.execute(Options.parse(args), new PrintStream(printed, true, StandardCharsets.UTF_8));
            System.out.println(printed.toString(StandardCharsets.UTF_8));

            String unexpected = results.stream()
                    .filter(r -> r.verdict() == Verdict.FAIL || r.verdict() == Verdict.SKIP && !JUSTIFIED_SKIPS.containsKey(r.check()))
                    .map(Result::line).collect(Collectors.joining("\n"));
            assertEquals("", unexpected, "the bank failed (or skipped) checks:\n" + unexpected);
            assertEquals(Conformance.checks().size(), results.size());
        }
    }

    /** Alice's account, which --work debits by one cent per transaction. */
    private static void openAccount(BankProcess bank) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(bank.url() + "/accounts"))
                .header("Authorization", "Bearer " + BankProcess.CUSTOMER_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"alice\",\"balance\":1000000}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
    }
}
