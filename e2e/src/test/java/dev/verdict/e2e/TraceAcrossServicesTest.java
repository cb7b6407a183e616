package dev.verdict.e2e;

import static dev.verdict.e2e.Banks.open;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verdict.e2e.OtlpReceiver.Span;
import io.restassured.http.ContentType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Traces across processes: the coordinator and two sample banks run with tracing on,
 * exporting OTLP to a receiver in this test; one transfer, begun by this test's own client span
 * (its {@code traceparent}), shows as one trace: the client call, bank-a's transfer, the
 * coordinator's spans of the transaction, and each bank's server span of every callback, as a
 * child of the coordinator's span for that call.
 * The banks trace through the participant kit, which brings quarkus-opentelemetry (off unless
 * enabled, as here, with the standard settings).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TraceAcrossServicesTest {

    private OtlpReceiver receiver;
    private Service coordinator;
    private Service bankA;
    private Service bankB;

    @BeforeAll
    void start() throws Exception {
        Service.callAsAdmin();
        receiver = new OtlpReceiver();
        Path work = Service.workDir("traces");
        Map<String, String> c = new HashMap<>(receiver.exporterSettings("verdict-coordinator"));
        c.put("verdict.participant.call-timeout", "10s");
        c.put("verdict.auth.api-key-file", Service.keyFile().toString());
        coordinator = new Service("coordinator", Service.coordinatorJar(), work, c);
        bankA = new Service("bank-a", Service.bankJar(), work, bank("bank-a"));
        bankB = new Service("bank-b", Service.bankJar(), work, bank("bank-b"));
        Banks.peers(bankA, bankB);
        Banks.start(coordinator, bankA, bankB);
        open(bankA, "alice", 10_000);
        open(bankB, "bob", 10_000);
    }

    @AfterAll
    void stop() throws Exception {
        Service.stopAll(bankA, bankB, coordinator);
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void oneTransferIsOneTraceAcrossTheClientTheCoordinatorAndBothBanks() {
        String clientTrace = HexFormat.of().formatHex(randomBytes(16));
        String clientSpan = HexFormat.of().formatHex(randomBytes(8));
        String tx = given().contentType(ContentType.JSON).header("traceparent", "00-" + clientTrace + "-" + clientSpan + "-01")
                .body(Map.of("fromAccount", "alice", "toBank", "bank-b", "toAccount", "bob", "amount", 100))
                .post(bankA.url() + "/transfers")
                .then().statusCode(200).body("outcome", equalTo("COMMITTED")).extract().jsonPath().getString("transactionId");

        // Phase 2 goes on after the client's answer: wait for both deliveries' spans to be exported.
        await().atMost(Duration.ofSeconds(30)).until(() -> coordinatorSpans(tx, "verdict.commit").size() == 2
                && coordinatorSpans(tx, "verdict.phase2").size() == 1);
        Map<String, List<Span>> byName = receiver.spans.stream().filter(s -> tx.equals(s.attribute("verdict.transaction.id")))
                .collect(Collectors.groupingBy(Span::name));
        System.out.println("spans of " + tx + ": " + byName.keySet());

        Span begin = one(byName, "verdict.begin");
        List<Span> enlists = byName.get("verdict.enlist");
        Span prepareRound = one(byName, "verdict.prepare-round");
        List<Span> prepares = byName.get("verdict.prepare");
        Span decision = one(byName, "verdict.decision");
        Span phase2 = one(byName, "verdict.phase2");
        List<Span> commits = byName.get("verdict.commit");

        assertEquals(Set.of("bank-a", "bank-b"), participants(enlists));
        assertEquals(Set.of("bank-a", "bank-b"), participants(prepares));
        assertEquals(Set.of("bank-a", "bank-b"), participants(commits));
        prepares.forEach(p -> {
            assertEquals(prepareRound.spanId(), p.parentId(), "each prepare is a child of the round");
            assertEquals("PREPARED", p.attribute("verdict.vote"));
            assertEquals(Span.CLIENT, p.kind());
        });
        commits.forEach(p -> {
            assertEquals(phase2.spanId(), p.parentId(), "each delivery is a child of phase 2");
            assertEquals("COMMITTED", p.attribute("verdict.outcome"));
        });
        assertTrue(Long.parseLong(decision.attribute("verdict.log.group.size")) >= 1, "the decision's group size");
        assertEquals("COMMITTED", decision.attribute("verdict.outcome"));
        assertTrue(begin.attribute("verdict.node").contains("/"), "the node, name/incarnation: " + begin);

        // The round, the decision and phase 2 hang under the commit request's server span at the coordinator.
        String commitTrace = prepareRound.traceId();
        Span commitRequest = receiver.spans.stream().filter(s -> s.spanId().equals(prepareRound.parentId())).findFirst()
                .orElseThrow(() -> new AssertionError("the prepare round's parent was not exported"));
        assertEquals(Span.SERVER, commitRequest.kind(), commitRequest.toString());
        assertTrue(commitRequest.attributes().values().stream().anyMatch(v -> v.contains("/commit")), commitRequest.toString());
        for (Span s : List.of(decision, phase2)) {
            assertEquals(commitRequest.spanId(), s.parentId(), s.name() + " under the commit request");
        }
        for (Span s : concat(prepares, commits, List.of(decision, phase2))) {
            assertEquals(commitTrace, s.traceId(), s.name() + " in the commit's trace");
        }

        // One trace: the client's.
        for (Span s : concat(List.of(begin, prepareRound, decision, phase2), enlists, prepares, commits)) {
            assertEquals(clientTrace, s.traceId(), s.name() + " is in the client's trace");
        }
        Span transfer = receiver.inTrace(clientTrace).stream()
                .filter(s -> s.kind() == Span.SERVER && clientSpan.equals(s.parentId())).findFirst()
                .orElseThrow(() -> new AssertionError("bank-a's server span of POST /transfers, child of the client's"));
        assertEquals("bank-a", transfer.service(), transfer.toString());
        // Every callback's server span at a bank is a child of the coordinator's span for that call.
        for (Span call : concat(prepares, commits)) {
            Span served = receiver.inTrace(clientTrace).stream()
                    .filter(s -> s.kind() == Span.SERVER && call.spanId().equals(s.parentId())).findFirst()
                    .orElseThrow(() -> new AssertionError("no bank server span under " + call));
            assertEquals(call.attribute("verdict.participant"), served.service(), served.toString());
        }
        Set<String> services = receiver.inTrace(clientTrace).stream().map(Span::service).collect(Collectors.toSet());
        assertEquals(Set.of("verdict-coordinator", "bank-a", "bank-b"), services);
    }

    private List<Span> coordinatorSpans(String tx, String name) {
        return receiver.spans.stream().filter(s -> name.equals(s.name()) && tx.equals(s.attribute("verdict.transaction.id")))
                .toList();
    }

    private static Span one(Map<String, List<Span>> byName, String name) {
        List<Span> spans = byName.getOrDefault(name, List.of());
        assertEquals(1, spans.size(), name + ": " + spans);
        return spans.get(0);
    }

    private static Set<String> participants(List<Span> spans) {
        assertTrue(spans != null && !spans.isEmpty(), "spans missing");
        return spans.stream().map(s -> s.attribute("verdict.participant")).collect(Collectors.toSet());
    }

    @SafeVarargs
    private static List<Span> concat(List<Span>... lists) {
        return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        ThreadLocalRandom.current().nextBytes(b);
        b[0] |= 1; // never all zeros: an invalid id
        return b;
    }

    private Map<String, String> bank(String name) {
        Map<String, String> p = Banks.settings(name, coordinator.url());
        p.putAll(receiver.exporterSettings(name));
        return p;
    }

}
