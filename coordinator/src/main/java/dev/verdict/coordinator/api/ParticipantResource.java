package dev.verdict.coordinator.api;

import dev.verdict.coordinator.api.Views.ParticipantView;
import dev.verdict.coordinator.api.Views.RegisterRequest;
import dev.verdict.coordinator.service.ParticipantRegistry;
import dev.verdict.coordinator.service.ServiceException;
import dev.verdict.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import dev.verdict.coordinator.model.Participant;
import dev.verdict.coordinator.service.Caller;
import dev.verdict.coordinator.service.DeliveryStats;
import dev.verdict.coordinator.service.OperatorActions;
import dev.verdict.coordinator.service.ParticipantBacklog;
import jakarta.ws.rs.POST;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The participant registry: services register the URL under which the coordinator calls them back. */
@Path("/participants")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ParticipantResource {

    @Inject
    ParticipantRegistry registry;

    @Inject
    SecurityIdentity caller;

    @Inject
    OperatorActions operators;

    @Inject
    ParticipantBacklog backlog;

    @Inject
    ClusterParticipants cluster;

    @Inject
    Clock clock;

    /**
     * Idempotent: 201 when created, 200 when an existing registration was updated. The body is read
     * on the event loop and only the database work goes to a worker thread: a blocking endpoint
     * would read it on the worker, and clients trickling bodies could then hold every worker.
     */
    @PUT
    @Path("{name}")
    @NonBlocking
    @RolesAllowed(Roles.PARTICIPANT)
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> register(@PathParam("name") String name, RegisterRequest request) {
        Callers.requireSelf(caller, name);
        return Uni.createFrom().item(() -> {
            var registration = registry.register(name, request == null ? null : request.callbackUrl(),
                    request == null ? null : request.callbackSecret());
            return Response.status(registration.created() ? 201 : 200)
                    .entity(ParticipantView.of(registration.participant())).build();
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    /** Every node's deliveries added up; {@code ?scope=node}: this node's only (what the others are asked for). */
    @GET
    @RolesAllowed(Roles.OPERATOR)
    public List<ParticipantView> list(@QueryParam("scope") String scope, @HeaderParam("Authorization") String credential) {
        Map<String, ParticipantBacklog.Backlog> waiting = backlog.local();
        List<ParticipantView> own = registry.list().stream().map(p -> view(p, waiting)).toList();
        return Queries.nodeScope(scope) ? own : cluster.list(own, credential);
    }

    @GET
    @Path("{name}")
    @RolesAllowed({Roles.PARTICIPANT, Roles.OPERATOR})
    public ParticipantView get(@PathParam("name") String name, @QueryParam("scope") String scope,
                               @HeaderParam("Authorization") String credential) {
        if (!Callers.isOperator(caller)) {
            Callers.requireSelf(caller, name);
        }
        ParticipantView own = view(registry.find(existing(name)), backlog.local());
        return Queries.nodeScope(scope) ? own : cluster.one(own, credential);
    }

    /** pause, resume or retry (docs/operator-api.md): audited before it takes effect. */
    @POST
    @Path("{name}/actions/{action}")
    @RolesAllowed(Roles.OPERATOR)
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_JSON)
    public Views.AuditEntryView act(@PathParam("name") String name, @PathParam("action") String action,
                                    Views.ActionRequest request) {
        String reason = request == null ? null : request.reason();
        Caller who = Callers.of(caller);
        String participant = existing(name);
        return Views.AuditEntryView.of(switch (action) {
            case "pause" -> operators.pause(participant, who, reason);
            case "resume" -> operators.resume(participant, who, reason);
            case "retry" -> operators.retryParticipant(participant, who, reason);
            default -> throw new ProblemException(404, "no-such-action", "No such action", "'" + action + "' is not an"
                    + " action on participants. Actions: pause, resume, retry (docs/operator-api.md).");
        });
    }

    private ParticipantView view(Participant p, Map<String, ParticipantBacklog.Backlog> waiting) {
        ParticipantBacklog.Backlog b = waiting.get(p.name());
        DeliveryStats.Last last = backlog.lastDelivery(p.name());
        Long oldest = b == null ? null : Math.max(0, Duration.between(b.oldestSince(), clock.instant()).toMillis());
        return new ParticipantView(p.name(), p.callback().url().toString(), p.registeredAt(), p.updatedAt(),
                b == null ? 0 : b.waiting(), oldest, last.lastSuccessAt(), last.lastFailureAt(), last.lastError(),
                Views.PauseView.of(p.paused()), null);
    }

    /** A participant may leave; only an admin may remove another. */
    @DELETE
    @Path("{name}")
    @RolesAllowed(Roles.PARTICIPANT)
    public Response deregister(@PathParam("name") String name) {
        Callers.requireSelf(caller, name);
        registry.deregister(existing(name));
        return Response.noContent().build();
    }

    /** A name that could never be registered is not registered: the database is not asked (it refuses a NUL, say). */
    private static String existing(String name) {
        if (!ParticipantRegistry.isName(name)) {
            throw new ServiceException.ParticipantNotFound(name);
        }
        return name;
    }
}
