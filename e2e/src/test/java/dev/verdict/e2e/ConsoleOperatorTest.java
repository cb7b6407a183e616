package dev.verdict.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * An operator at 3 a.m., in a real browser against the packaged coordinator: a transaction decided
 * COMMIT is stuck on a participant that is down. The operator signs in, watches it appear on the
 * overview without reloading (the event stream), opens it, sees whom it waits for and why, resolves
 * the branch by hand with a reason, and finds the action in the audit log. Screenshots of each
 * page go to e2e/target/console-screenshots/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleOperatorTest {

    private static final Duration SOON = Duration.ofSeconds(20);
    private static final String REASON = "Applied the commit at bank-b by hand, ticket OPS-12";

    private OperatorScenario scenario;
    private ConsoleBrowser browser;
    private String console;

    @BeforeAll
    void start() throws Exception {
        browser = ConsoleBrowser.start(); // first: without a browser there is nothing to test
        scenario = OperatorScenario.startWithoutStuckTransaction();
        console = scenario.coordinatorUrl() + "/console/";
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (scenario != null) {
                scenario.close();
            }
        }
    }

    @Test
    @Order(1)
    void aWrongKeyIsRefusedOnTheSignInPage() {
        browser.open(console);
        browser.await("the sign-in page", SOON, d -> browser.find("#credential"));
        browser.find("#credential").sendKeys("vdk_this-key-does-not-exist");
        browser.find("form button[type=submit]").click();
        browser.awaitText(".signin-message .notice.error", "refused this credential", SOON);
        assertTrue(browser.driver.getCurrentUrl().endsWith("#/signin"));
        assertNull(browser.script("return sessionStorage.getItem('verdict.console.credential')"), "a refused key is not kept");
        browser.severeLogs(); // the refused /status is the point of this test: not counted below
    }

    @Test
    @Order(2)
    void theStuckTransactionAppearsLiveAndIsResolvedByHandWithAReason() throws Exception {
        signIn();
        browser.await("the live indicator: GET /events must answer with an open text/event-stream", SOON,
                d -> browser.find(".live[data-live=on]"));
        browser.awaitText("#metric-in-doubt .value", "0", SOON);
        browser.script("window.__sameDocument = true"); // gone if the page reloads

        String tx = scenario.makeStuckTransaction();
        String down = scenario.downParticipant();
        browser.await("the stuck transaction in the in-doubt list", SOON, d -> browser.find("#in-doubt a[data-id='" + tx + "']"));
        browser.awaitText("#metric-in-doubt .value", "1", SOON);
        browser.await("the event feed naming it", SOON, d -> browser.find("#feed li[data-transaction='" + tx + "']"));
        assertEquals(Boolean.TRUE, browser.script("return window.__sameDocument === true"), "shown without a reload");
        browser.screenshot("overview");
        browser.size(420, 900);
        browser.screenshot("overview-narrow");
        browser.size(1280, 900);

        browser.click("#in-doubt a[data-id='" + tx + "']", SOON);
        String lastError = branch(scenario.transaction(tx), down).path("lastError").asText();
        String line = browser.awaitText("#waiting-line", "waiting for " + down + " to acknowledge", SOON);
        assertTrue(line.startsWith("Decided COMMIT"), line);
        assertTrue(line.contains("last error:"), line);
        browser.awaitText("#branches td.error-text", lastError.substring(0, Math.min(20, lastError.length())), SOON);

        browser.click("button[data-resolve='" + down + "']", SOON);
        WebElement dialog = browser.await("the dialog", SOON, d -> browser.find("dialog[open]"));
        assertEquals("The decision is COMMIT and will not change. Confirm that you applied COMMIT at " + down + " by hand.",
                dialog.findElement(org.openqa.selenium.By.cssSelector(".decision")).getText());
        browser.script("performance.clearResourceTimings()"); // a fresh buffer: only what follows is counted below
        dialog.findElement(org.openqa.selenium.By.cssSelector("button[type=submit]")).click();
        browser.awaitText("dialog[open] .field-error", "Give a reason", SOON);
        // The coordinator would refuse a missing reason too: what shows the console sent nothing is its own requests.
        assertEquals(0L, browser.script("return performance.getEntriesByType('resource')"
                + ".filter(e => e.name.includes('/actions/')).length"), "nothing was sent without a reason");
        assertEquals("COMMITTING", scenario.transaction(tx).path("state").asText());

        dialog.findElement(org.openqa.selenium.By.cssSelector("textarea")).sendKeys(Keys.ESCAPE);
        browser.await("Escape closes the dialog", SOON, d -> browser.findAll("dialog").isEmpty());
        assertEquals(down, browser.script("return document.activeElement.dataset.resolve"), "focus returns to its button");
        browser.press(Keys.ENTER); // the keyboard opens it too
        dialog = browser.await("the dialog again", SOON, d -> browser.find("dialog[open]"));
        dialog.findElement(org.openqa.selenium.By.cssSelector("textarea")).sendKeys(REASON);
        browser.screenshot("transaction-dialog");
        dialog.findElement(org.openqa.selenium.By.cssSelector("button[type=submit]")).click();

        browser.await("the dialog to close", SOON, d -> browser.findAll("dialog").isEmpty());
        browser.awaitText(".tx-title .badge", "Committed", SOON);
        browser.awaitText("#action-result", "recorded in the audit log", SOON);
        assertEquals("COMMITTED", scenario.transaction(tx).path("state").asText());
        browser.awaitText("#history", "key:operator: resolve branch at " + down, SOON); // the history, written behind, catches up
        browser.screenshot("transaction-resolved");

        browser.open(console + "#/audit");
        String row = browser.awaitText("#audit-results tbody tr", REASON, SOON);
        assertTrue(row.contains("resolve branch") && row.contains("key:operator") && row.contains(down), row);
        browser.screenshot("audit");

        String undecided = scenario.beginUndecided(); // two transactions now: one page of one, then "More"
        browser.open(console + "#/transactions?limit=1");
        browser.awaitText("#result-count", "1 transaction so far", SOON);
        browser.click("#more", SOON);
        browser.awaitText("#result-count", "2 transactions", SOON);
        browser.await("both transactions listed", SOON, d -> browser.find("#results a[data-id='" + tx + "']")
                .isDisplayed() && browser.find("#results a[data-id='" + undecided + "']").isDisplayed());
        browser.screenshot("transactions");

        browser.open(console + "#/participants");
        browser.awaitText("#participants tbody", down, SOON);
        browser.screenshot("participants");

        // Another operator acts first: the coordinator's refusal is shown as its problem, title and detail.
        browser.open(console + "#/transactions/" + undecided);
        browser.click("#action-rollback", SOON);
        dialog = browser.await("the rollback dialog", SOON, d -> browser.find("dialog[open]"));
        dialog.findElement(org.openqa.selenium.By.cssSelector("textarea")).sendKeys("duplicate order");
        assertEquals(200, rollBack(undecided).statusCode());
        dialog.findElement(org.openqa.selenium.By.cssSelector("button[type=submit]")).click();
        JsonNode problem = new ObjectMapper().readTree(rollBack(undecided).body());
        String shown = browser.awaitText("dialog[open] .dialog-problem .notice.error", problem.path("title").asText(), SOON);
        assertTrue(shown.contains(problem.path("detail").asText()), shown);
        browser.find("dialog[open] .dialog-buttons .button.quiet").click(); // Cancel

        assertEquals(List.of("Failed to load resource: the server responded with a status of 409 (Conflict)"),
                browser.severeLogs().stream().map(l -> l.replaceFirst("^\\S+ - ", "")).distinct().toList(),
                "the console logged no errors but the refusal it was meant to show");
    }

    private HttpResponse<String> rollBack(String id) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(scenario.coordinatorUrl() + "/transactions/"
                        + id + "/actions/rollback")).header("Authorization", "Bearer " + scenario.operatorKey())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"rolled back by a colleague\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The console reads /events with fetch(), not EventSource (which cannot send a credential), so
     * it parses the frames itself: here in the browser, fed chunks split where a network may split
     * them (inside a field, between CR and LF), with a comment, a multi-line data field and an overflow.
     */
    @Test
    @Order(3)
    void theEventStreamParserReadsFramesWhereverTheChunksBreak() {
        browser.open(console + "#/signin");
        Object frames = browser.driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                import('./js/sse.js').then(({sseParser}) => {
                  const frames = [];
                  const push = sseParser((f) => frames.push(f));
                  [': keep-alive\\n\\nid: 7\\nevent: STATE_CHANGED\\ndata: {"a"', ':1}\\r', '\\n\\r\\nid: 8\\ndata: one\\n',
                   'data: two\\n\\nevent: overflow\\ndata: {}\\n', '\\n'].forEach(push);
                  done(JSON.stringify(frames));
                }).catch((e) => done('failed: ' + e));
                """);
        assertEquals("[{\"id\":\"7\",\"event\":\"STATE_CHANGED\",\"data\":\"{\\\"a\\\":1}\"},"
                + "{\"id\":\"8\",\"event\":\"message\",\"data\":\"one\\ntwo\"},"
                + "{\"id\":\"8\",\"event\":\"overflow\",\"data\":\"{}\"}]", frames);
    }

    private void signIn() {
        browser.open(console + "#/signin");
        browser.await("the sign-in page", SOON, d -> browser.find("#credential"));
        browser.find("#credential").sendKeys(scenario.operatorKey());
        browser.find("form button[type=submit]").click();
        browser.await("the overview", SOON, d -> browser.find("#metric-in-doubt"));
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
