package dev.verdict.coordinator.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard and the Prometheus rules in deploy/ may only name metrics this coordinator
 * exposes: both files are parsed, every {@code verdict_*} name in their queries is collected, and
 * each must be in /q/metrics of a running node that has done some work (a commit, and a
 * transaction left in doubt so that the per-participant backlog has a series). A renamed metric
 * fails here, not on an operator's empty panel.
 */
@QuarkusTest
class DeployFilesTest {

    private static final Path DEPLOY = Path.of("..", "deploy");
    private static final Pattern METRIC = Pattern.compile("\\b(verdict_[a-z0-9_]+)");

    @Test
    void everyMetricTheDashboardAndTheAlertRulesUseIsExposed() throws Exception {
        List<String> queries = new ArrayList<>(dashboardQueries());
        queries.addAll(alertRuleQueries());
        Set<String> used = new TreeSet<>();
        for (String q : queries) {
            Matcher m = METRIC.matcher(q);
            while (m.find()) {
                used.add(m.group(1));
            }
        }
        assertTrue(used.size() >= 12, "the files use the metrics they should: " + used);

        Vertx vertx = Vertx.vertx();
        try (ScriptedParticipant a = new ScriptedParticipant(vertx, "deploy-a");
             ScriptedParticipant b = new ScriptedParticipant(vertx, "deploy-b")) {
            register(a);
            register(b);
            commit(begin(a.name, b.name)).then().statusCode(200);
            String stuck = begin(a.name, b.name);
            b.failPhaseTwo(stuck, 1_000_000);
            commit(stuck).then().statusCode(200);
            await().atMost(Duration.ofSeconds(20)).until(() -> exposed().contains("verdict_participant_backlog"));
            Set<String> exposed = exposed();
            Set<String> missing = new TreeSet<>(used);
            missing.removeAll(exposed);
            assertEquals(Set.of(), missing, "named in deploy/ but not exposed at /q/metrics");
            b.failPhaseTwo(stuck, 0);
        } finally {
            vertx.close();
        }
    }

    private static List<String> dashboardQueries() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DEPLOY.resolve("grafana/verdict-dashboard.json")));
        assertFalse(dashboard.path("title").asText().isEmpty(), "a dashboard has a title");
        List<String> queries = new ArrayList<>();
        for (JsonNode panel : dashboard.withArray("panels")) {
            assertTrue(panel.has("gridPos") && panel.has("type") && panel.has("title"), panel.toString());
            for (JsonNode target : panel.withArray("targets")) {
                queries.add(target.get("expr").asText());
            }
        }
        for (JsonNode variable : dashboard.path("templating").withArray("list")) {
            queries.add(variable.path("query").asText());
        }
        return queries;
    }

    private static List<String> alertRuleQueries() throws Exception {
        JsonNode rules = new YAMLMapper().readTree(Files.readString(DEPLOY.resolve("prometheus/verdict-alerts.yml")));
        List<String> queries = new ArrayList<>();
        for (JsonNode group : rules.withArray("groups")) {
            assertFalse(group.path("name").asText().isEmpty(), "each rule group has a name");
            for (JsonNode rule : group.withArray("rules")) {
                assertFalse(rule.path("alert").asText().isEmpty(), "each rule is an alert: " + rule);
                assertTrue(rule.path("annotations").has("summary"), rule.toString());
                if (rule.has("for")) {
                    assertTrue(rule.get("for").asText().matches("[0-9]+[smh]"), rule.toString());
                }
                queries.add(rule.get("expr").asText());
            }
        }
        return queries;
    }

    /** Names of the samples at /q/metrics (histogram series under their _bucket, _count and _sum names). */
    private static Set<String> exposed() {
        String text = given().header("Authorization", TestKeys.OPERATOR).get("/q/metrics").then().statusCode(200)
                .extract().asString();
        Set<String> names = new TreeSet<>();
        for (String line : text.split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }

    private static void register(ScriptedParticipant p) {
        given().header("Authorization", TestKeys.ADMIN).contentType(ContentType.JSON)
                .body(Map.of("callbackUrl", p.callbackUrl(), "callbackSecret", p.secret)).put("/participants/" + p.name)
                .then().statusCode(anyOf(equalTo(200), equalTo(201)));
    }

    private static String begin(String... participants) {
        String tx = given().header("Authorization", TestKeys.ADMIN).contentType(ContentType.JSON)
                .body(Map.of("timeoutMs", 30_000)).post("/transactions").then().statusCode(201).extract()
                .header("Verdict-Transaction");
        for (String p : participants) {
            given().header("Authorization", TestKeys.ADMIN).contentType(ContentType.JSON).body(Map.of("participant", p))
                    .post("/transactions/" + tx + "/branches").then().statusCode(200);
        }
        return tx;
    }

    private static io.restassured.response.Response commit(String tx) {
        return given().header("Authorization", TestKeys.ADMIN).post("/transactions/" + tx + "/commit");
    }
}
