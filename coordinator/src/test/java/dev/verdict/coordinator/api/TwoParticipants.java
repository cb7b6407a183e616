package dev.verdict.coordinator.api;

import static io.restassured.RestAssured.given;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;

/**
 * Two scripted participants on their own event loops (apart from the coordinator's, as in
 * production), and RestAssured sending {@code key} unless a request names its own credential: the
 * set-up the API tests share.
 */
final class TwoParticipants implements AutoCloseable {

    final ScriptedParticipant a;
    final ScriptedParticipant b;
    /** For more participants a test starts itself. */
    final Vertx vertx = Vertx.vertx();

    /** In @BeforeAll: the names get the prefix ({@code it-a}, {@code it-b} for "it"). */
    TwoParticipants(String prefix, String key) throws Exception {
        RestAssured.replaceFiltersWith(TestKeys.unlessSaid(key));
        a = new ScriptedParticipant(vertx, prefix + "-a");
        b = new ScriptedParticipant(vertx, prefix + "-b");
    }

    /**
     * Registers both with their URLs and secrets, as an admin; idempotent. Not in @BeforeAll: the
     * test HTTP port is not known there yet.
     */
    void register() {
        for (ScriptedParticipant p : List.of(a, b)) {
            given().header("Authorization", TestKeys.ADMIN).contentType(ContentType.JSON)
                    .body(Map.of("callbackUrl", p.callbackUrl(), "callbackSecret", p.secret)).put("/participants/" + p.name)
                    .then().statusCode(org.hamcrest.Matchers.oneOf(200, 201));
        }
    }

    @Override
    public void close() throws Exception {
        RestAssured.replaceFiltersWith(List.of());
        a.close();
        b.close();
        vertx.close();
    }
}
