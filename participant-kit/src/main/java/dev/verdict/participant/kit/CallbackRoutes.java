package dev.verdict.participant.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.protocol.TransactionIdSyntax;
import io.quarkus.arc.Arc;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The callbacks the coordinator calls (docs/protocol.md, section 5), for each local resource under
 * {@code <callback-path>[/<resource>]/transactions/{id}/<action>}. Routes rather than JAX-RS
 * resources, so the path is configuration and the kit's error answers stay on its own endpoints.
 * Each callback is verified ({@link CallbackVerifier}) before anything else reads it.
 */
@ApplicationScoped
public class CallbackRoutes {

    private static final Logger LOG = Logger.getLogger(CallbackRoutes.class);
    /** Callback bodies are a few hundred bytes; this bounds what an unverified request can make us buffer. */
    private static final int MAX_BODY = 64 * 1024;

    @Inject
    Resources resources;

    @Inject
    ParticipantLedger ledger;

    @Inject
    CallbackVerifier verifier;

    @Inject
    CrashPoints crashPoints;

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "verdict.participant.callback-path")
    String callbackPath;

    /** The role a caller needs to read a transaction's state here (operators, checkers). */
    @ConfigProperty(name = "verdict.participant.state-role", defaultValue = "operator")
    String stateRole;

    void install(@Observes Router router) {
        String root = callbackPath.endsWith("/") ? callbackPath.substring(0, callbackPath.length() - 1) : callbackPath;
        for (LocalResource resource : resources.all()) {
            String base = root + (resource.resourceName().isEmpty() ? "" : "/" + resource.resourceName()) + "/transactions/:id";
            router.post(base + "/:action").handler(BodyHandler.create().setBodyLimit(MAX_BODY))
                    .blockingHandler(ctx -> answer(ctx, () -> callback(ctx, resource)), false);
            router.get(base).blockingHandler(ctx -> answer(ctx, () -> state(ctx, resource)), false);
        }
    }

    private Map<String, String> callback(RoutingContext ctx, LocalResource resource) {
        Buffer buffer = ctx.body().buffer();
        byte[] body = buffer == null ? new byte[0] : buffer.getBytes();
        verifier.verify(ctx.request(), body);
        String id = transactionId(ctx, body);
        String action = ctx.pathParam("action");
        return switch (action) {
            case "prepare" -> Map.of("vote", ledger.prepare(resource, id).name());
            case "commit" -> {
                crashPoints.reached("participant-before-commit");
                yield Map.of("outcome", ledger.commit(resource, id).name());
            }
            case "rollback" -> Map.of("outcome", ledger.rollback(resource, id).name());
            case "commit-one-phase" -> Map.of("outcome", ledger.commitOnePhase(resource, id).name());
            default -> throw new KitProblem(400, "unknown-callback", "No callback '" + action
                    + "': the callbacks are prepare, commit, rollback and commit-one-phase.").about(id);
        };
    }

    /** Read-only: what this resource holds for a transaction (for operators and checkers; verdict.participant.state-role). */
    private Map<String, String> state(RoutingContext ctx, LocalResource resource) {
        SecurityIdentity identity = QuarkusHttpUser.getSecurityIdentityBlocking(ctx, null);
        if (identity == null || identity.isAnonymous()) {
            throw new KitProblem(401, "unauthenticated", "Send a credential with role " + stateRole + ".");
        }
        if (!identity.hasRole(stateRole)) {
            throw new KitProblem(403, "forbidden", "Reading a transaction's state here needs role " + stateRole + ".");
        }
        String id = transactionId(ctx, new byte[0]);
        return Map.of("transactionId", id, "state", ledger.stateOf(resource, id).orElseThrow(() -> new KitProblem(404,
                "transaction-unknown", "This participant has no record of transaction " + id + ".").about(id)).name());
    }

    /** The path's id, which is authoritative: a body naming another is refused (docs/protocol.md, section 5). */
    private String transactionId(RoutingContext ctx, byte[] body) {
        String id = ctx.pathParam("id");
        if (!TransactionIdSyntax.isWellFormed(id)) {
            throw new KitProblem(400, "invalid-transaction-id", "Not a transaction id: 1-"
                    + TransactionIdSyntax.MAX_LENGTH + " characters of 0-9, a-z and '.'.");
        }
        if (body.length > 0) {
            JsonNode named;
            try {
                named = json.readTree(body).path("transactionId");
            } catch (java.io.IOException e) {
                throw new KitProblem(400, "malformed-json", "The callback body is not valid JSON.").about(id);
            }
            if (!named.isMissingNode() && !named.isNull() && !id.equals(named.asText())) {
                throw new KitProblem(400, "transaction-id-mismatch", "The body names transaction '" + named.asText()
                        + "' but the path names " + id + "; nothing changed.").about(id);
            }
        }
        return id;
    }

    /** Runs {@code handler} with a request context (for the resource's beans) and writes its answer or problem. */
    private void answer(RoutingContext ctx, java.util.function.Supplier<Map<String, String>> handler) {
        var requestContext = Arc.container().requestContext();
        boolean activated = !requestContext.isActive();
        if (activated) {
            requestContext.activate();
        }
        try {
            String body = json.writeValueAsString(handler.get());
            ctx.response().putHeader("Content-Type", "application/json").end(body);
        } catch (KitProblem e) {
            problem(ctx, e);
        } catch (Exception e) {
            if (Unavailability.isDatabaseUnavailable(e)) {
                problem(ctx, Unavailability.databaseUnavailable(e));
            } else {
                LOG.error("callback " + ctx.request().path() + " failed", e);
                problem(ctx, new KitProblem(500, "internal-error", "The callback failed; see this service's log."));
            }
        } finally {
            if (activated) {
                requestContext.terminate();
            }
        }
    }

    private static void problem(RoutingContext ctx, KitProblem e) {
        ctx.response().setStatusCode(e.status()).putHeader("Content-Type", "application/problem+json");
        if (e.retryAfterSeconds() != null) {
            ctx.response().putHeader("Retry-After", String.valueOf(e.retryAfterSeconds()));
        }
        if ("unauthenticated".equals(e.slug())) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
        }
        ctx.response().end(KitProblemMapper.body(e));
    }
}
