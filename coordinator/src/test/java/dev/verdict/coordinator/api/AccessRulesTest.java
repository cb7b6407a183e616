package dev.verdict.coordinator.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Who may call what (docs/security.md), route by route and caller by caller. The routes come from
 * the resource classes themselves, so a new endpoint without a rule here fails this test.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessRulesTest {

    private static final String ISSUER = "https://issuer.verdict.test";
    private static final String TX = "01m832ha9xg1sjq5rcz0dv447h.2b2mtfy2n9r1s";

    /** Every kind of caller: no credential, bad ones, and each role, by API key and by JWT. */
    enum Caller {
        NONE, UNKNOWN_KEY, EXPIRED_JWT, FOREIGN_ISSUER_JWT, UNSIGNED_JWT,
        ADMIN, OPERATOR, CLIENT, BANK_A, BANK_B, JWT_BANK_A, JWT_OPERATOR
    }

    private static final Set<Caller> UNAUTHENTICATED = EnumSet.of(Caller.NONE, Caller.UNKNOWN_KEY, Caller.EXPIRED_JWT,
            Caller.FOREIGN_ISSUER_JWT, Caller.UNSIGNED_JWT);

    private static final Set<Caller> ANYONE_WITHOUT_A_BAD_CREDENTIAL = EnumSet.complementOf(
            EnumSet.of(Caller.UNKNOWN_KEY, Caller.EXPIRED_JWT, Caller.FOREIGN_ISSUER_JWT, Caller.UNSIGNED_JWT));

    /** One route, a request to it, and the callers that may make that request (bank-a is the participant named in it). */
    record Rule(String method, String route, String path, String body, Set<Caller> allowed) {}

    private static final List<Rule> RULES = List.of(
            new Rule("POST", "/transactions", "/transactions", "", EnumSet.of(Caller.ADMIN, Caller.CLIENT, Caller.BANK_A)),
            new Rule("GET", "/transactions", "/transactions?limit=1", null, EnumSet.of(Caller.ADMIN, Caller.OPERATOR, Caller.JWT_OPERATOR)),
            new Rule("GET", "/transactions/{id}", "/transactions/" + TX, null,
                    EnumSet.of(Caller.ADMIN, Caller.OPERATOR, Caller.CLIENT, Caller.BANK_A, Caller.JWT_OPERATOR)),
            new Rule("POST", "/transactions/{id}/branches", "/transactions/" + TX + "/branches", "{\"participant\":\"bank-a\"}",
                    EnumSet.of(Caller.ADMIN, Caller.BANK_A, Caller.JWT_BANK_A)),
            new Rule("POST", "/transactions/{id}/commit", "/transactions/" + TX + "/commit", null,
                    EnumSet.of(Caller.ADMIN, Caller.CLIENT, Caller.BANK_A)),
            new Rule("POST", "/transactions/{id}/rollback", "/transactions/" + TX + "/rollback", null,
                    EnumSet.of(Caller.ADMIN, Caller.CLIENT, Caller.BANK_A)),
            new Rule("GET", "/transactions/{id}/outcome", "/transactions/" + TX + "/outcome", null,
                    EnumSet.of(Caller.ADMIN, Caller.OPERATOR, Caller.BANK_A, Caller.BANK_B, Caller.JWT_BANK_A, Caller.JWT_OPERATOR)),
            new Rule("PUT", "/participants/{name}", "/participants/bank-a", "{\"callbackUrl\":\"http://127.0.0.1:9/verdict\","
                    + "\"callbackSecret\":\"" + dev.verdict.protocol.CallbackSignature.newSecret() + "\"}",
                    EnumSet.of(Caller.ADMIN, Caller.BANK_A, Caller.JWT_BANK_A)),
            new Rule("GET", "/participants", "/participants", null, EnumSet.of(Caller.ADMIN, Caller.OPERATOR, Caller.JWT_OPERATOR)),
            new Rule("GET", "/participants/{name}", "/participants/bank-a", null,
                    EnumSet.of(Caller.ADMIN, Caller.OPERATOR, Caller.BANK_A, Caller.JWT_BANK_A, Caller.JWT_OPERATOR)),
            new Rule("DELETE", "/participants/{name}", "/participants/bank-a", null,
                    EnumSet.of(Caller.ADMIN, Caller.BANK_A, Caller.JWT_BANK_A)),
            new Rule("GET", "/status", "/status", null, EnumSet.of(Caller.ADMIN, Caller.OPERATOR, Caller.JWT_OPERATOR)),
            new Rule("GET", "/transactions/{id}/history", "/transactions/" + TX + "/history", null,
                    EnumSet.of(Caller.ADMIN, Caller.OPERATOR, Caller.JWT_OPERATOR)),
            new Rule("POST", "/transactions/{id}/actions/{action}", "/transactions/" + TX + "/actions/retry",
                    "{\"reason\":\"access rules\"}", EnumSet.of(Caller.ADMIN, Caller.OPERATOR, Caller.JWT_OPERATOR)),
            new Rule("POST", "/participants/{name}/actions/{action}", "/participants/bank-a/actions/retry",
                    "{\"reason\":\"access rules\"}", EnumSet.of(Caller.ADMIN, Caller.OPERATOR, Caller.JWT_OPERATOR)),
            new Rule("GET", "/audit", "/audit", null, EnumSet.of(Caller.ADMIN, Caller.OPERATOR, Caller.JWT_OPERATOR)),
            // An unknown kind is refused (400) once the caller is let in: an accepted stream would never end.
            new Rule("GET", "/events", "/events?kind=NO_SUCH_KIND", null, EnumSet.of(Caller.ADMIN, Caller.OPERATOR, Caller.JWT_OPERATOR)),
            // Not resources: served by Quarkus extensions.
            new Rule("GET", "/q/metrics", "/q/metrics", null, EnumSet.of(Caller.ADMIN, Caller.OPERATOR, Caller.JWT_OPERATOR)),
            // Health needs no credential (probes send none), but a bad one is refused here as everywhere.
            new Rule("GET", "/q/health/ready", "/q/health/ready", null, ANYONE_WITHOUT_A_BAD_CREDENTIAL),
            new Rule("GET", "/q/health/live", "/q/health/live", null, ANYONE_WITHOUT_A_BAD_CREDENTIAL));

    private PrivateKey signingKey;

    @BeforeAll
    void keys() throws Exception {
        signingKey = KeyUtils.readPrivateKey("jwt/test-private.pem");
    }

    @Test
    void everyRouteOfEveryResourceHasARule() {
        Set<String> routes = new TreeSet<>();
        for (Class<?> resource : resources()) {
            String base = resource.getAnnotation(Path.class).value();
            for (Method m : resource.getDeclaredMethods()) {
                String verb = httpMethod(m);
                if (verb != null) {
                    Path sub = m.getAnnotation(Path.class);
                    routes.add(verb + " " + base + (sub == null ? "" : "/" + sub.value()));
                }
            }
        }
        Set<String> ruled = new TreeSet<>();
        RULES.stream().filter(r -> !r.route().startsWith("/q/")).forEach(r -> ruled.add(r.method() + " " + r.route()));
        assertEquals(routes, ruled, "every route needs a rule in this table (and docs/security.md)");
    }

    @Test
    void everyCallerGetsTheDocumentedAnswerOnEveryRoute() {
        List<String> wrong = new ArrayList<>();
        for (Rule rule : RULES) {
            for (Caller caller : Caller.values()) {
                Response r = request(caller, rule);
                int status = r.statusCode();
                boolean allowed = rule.allowed().contains(caller);
                String expected = allowed ? "not 401/403" : UNAUTHENTICATED.contains(caller) ? "401" : "403";
                boolean ok = allowed ? status != 401 && status != 403
                        : status == (UNAUTHENTICATED.contains(caller) ? 401 : 403);
                if (!ok) {
                    wrong.add(rule.method() + " " + rule.path() + " as " + caller + ": " + status + ", expected " + expected);
                } else if (!allowed) {
                    assertEquals("application/problem+json", r.contentType().split(";")[0],
                            rule.path() + " as " + caller + " answers a problem document");
                }
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void aClientCommandsAndReadsOnlyTheTransactionsItBegan() {
        String tx = given().header("Authorization", TestKeys.CLIENT).post("/transactions").then().statusCode(201)
                .extract().path("id");
        for (String command : List.of("commit", "rollback")) {
            given().header("Authorization", TestKeys.OTHER_CLIENT).post("/transactions/" + tx + "/" + command)
                    .then().statusCode(403).contentType("application/problem+json")
                    .body("type", org.hamcrest.Matchers.endsWith("/not-your-transaction"));
        }
        given().header("Authorization", TestKeys.OTHER_CLIENT).get("/transactions/" + tx).then().statusCode(403);
        // Refused commands changed nothing; an operator reads any transaction, its client commands it.
        given().header("Authorization", TestKeys.OPERATOR).get("/transactions/" + tx).then().statusCode(200)
                .body("state", org.hamcrest.Matchers.equalTo("ACTIVE"));
        given().header("Authorization", TestKeys.CLIENT).get("/transactions/" + tx).then().statusCode(200);
        given().header("Authorization", TestKeys.CLIENT).post("/transactions/" + tx + "/rollback").then().statusCode(200)
                .body("outcome", org.hamcrest.Matchers.equalTo("ROLLED_BACK"));
        given().header("Authorization", TestKeys.OTHER_CLIENT).get("/transactions/" + tx).then().statusCode(403);
    }

    /**
     * Owners are credentials, not names: a token whose user is called "client" is not the API key
     * named client; an operator that is also a client reads anyone's transactions but commands only
     * its own; an admin commands any.
     */
    @Test
    void ownershipFollowsTheCredentialNotItsNameAndCommandingOthersIsForAdmins() {
        String tx = given().header("Authorization", TestKeys.CLIENT).post("/transactions").then().statusCode(201)
                .extract().path("id");
        String namesake = "Bearer " + Jwt.issuer(ISSUER).upn("client").subject("client").groups("client").sign(signingKey);
        given().header("Authorization", namesake).post("/transactions/" + tx + "/rollback").then().statusCode(403);
        given().header("Authorization", namesake).get("/transactions/" + tx).then().statusCode(403);
        given().header("Authorization", TestKeys.CLIENT_OPERATOR).get("/transactions/" + tx).then().statusCode(200);
        given().header("Authorization", TestKeys.CLIENT_OPERATOR).post("/transactions/" + tx + "/commit").then().statusCode(403);
        given().header("Authorization", TestKeys.ADMIN).post("/transactions/" + tx + "/rollback").then().statusCode(200)
                .body("outcome", org.hamcrest.Matchers.equalTo("ROLLED_BACK"));
        String own = given().header("Authorization", namesake).post("/transactions").then().statusCode(201).extract().path("id");
        given().header("Authorization", namesake).post("/transactions/" + own + "/rollback").then().statusCode(200);
    }

    private Response request(Caller caller, Rule rule) {
        RequestSpecification spec = given();
        String credential = credential(caller);
        if (credential != null) {
            spec = spec.header("Authorization", credential);
        }
        if (rule.body() != null) {
            spec = spec.contentType("application/json").body(rule.body());
        }
        return spec.request(rule.method(), rule.path());
    }

    private String credential(Caller caller) {
        Instant now = Instant.now();
        return switch (caller) {
            case NONE -> null;
            case UNKNOWN_KEY -> "Bearer vdk_test-nobody";
            case ADMIN -> TestKeys.ADMIN;
            case OPERATOR -> TestKeys.OPERATOR;
            case CLIENT -> TestKeys.CLIENT;
            case BANK_A -> TestKeys.BANK_A;
            case BANK_B -> TestKeys.BANK_B;
            case EXPIRED_JWT -> "Bearer " + Jwt.issuer(ISSUER).upn("late").groups("admin")
                    .issuedAt(now.minusSeconds(7200)).expiresAt(now.minusSeconds(3600)).sign(signingKey);
            case FOREIGN_ISSUER_JWT -> "Bearer " + Jwt.issuer("https://elsewhere.test").upn("stranger").groups("admin")
                    .sign(signingKey);
            case UNSIGNED_JWT -> "Bearer " + base64url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "."
                    + base64url("{\"iss\":\"" + ISSUER + "\",\"upn\":\"forger\",\"groups\":[\"admin\"],\"exp\":"
                    + now.plusSeconds(600).getEpochSecond() + "}") + ".";
            case JWT_BANK_A -> "Bearer " + Jwt.issuer(ISSUER).upn("bank-a-service").groups("participant")
                    .claim("verdict_participant", "bank-a").sign(signingKey);
            case JWT_OPERATOR -> "Bearer " + Jwt.issuer(ISSUER).upn("alice@ops").groups("operator").sign(signingKey);
        };
    }

    /** Every class of the api package with a JAX-RS {@code @Path}, found on disk: a new resource needs rules here. */
    private static List<Class<?>> resources() {
        try {
            java.nio.file.Path dir = java.nio.file.Path.of(AccessRulesTest.class.getProtectionDomain().getCodeSource()
                    .getLocation().toURI()).resolveSibling("classes").resolve("dev/verdict/coordinator/api");
            List<Class<?>> found = new ArrayList<>();
            try (var files = java.nio.file.Files.list(dir)) {
                for (java.nio.file.Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                    String name = f.getFileName().toString().replace(".class", "");
                    Class<?> c = Class.forName("dev.verdict.coordinator.api." + name, false, AccessRulesTest.class.getClassLoader());
                    if (c.isAnnotationPresent(Path.class)) {
                        found.add(c);
                    }
                }
            }
            assertTrue(found.size() >= 3, "resources found in " + dir + ": " + found);
            return found;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base64url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String httpMethod(Method m) {
        for (Annotation a : m.getAnnotations()) {
            HttpMethod verb = a.annotationType().getAnnotation(HttpMethod.class);
            if (verb != null) {
                return verb.value();
            }
        }
        return null;
    }
}
