package dev.verdict.participant.kit;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The coordinator's REST API as docs/protocol.md defines it. Methods return the raw response; an
 * error status arrives as a WebApplicationException whose response {@link Verdict} reads, so
 * callers see the coordinator's problem document either way.
 */
@RegisterRestClient(configKey = "verdict-coordinator")
@ClientHeaderParam(name = "Authorization", value = "{credential}", required = false)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface CoordinatorApi {

    @PUT
    @Path("/participants/{name}")
    Response register(@PathParam("name") String name, Map<String, Object> body);

    @POST
    @Path("/transactions")
    Response begin(Map<String, Object> body);

    @POST
    @Path("/transactions/{id}/branches")
    Response enlist(@PathParam("id") String id, Map<String, Object> body);

    @POST
    @Path("/transactions/{id}/commit")
    Response commit(@PathParam("id") String id);

    @POST
    @Path("/transactions/{id}/rollback")
    Response rollback(@PathParam("id") String id);

    @GET
    @Path("/transactions/{id}/outcome")
    Response outcome(@PathParam("id") String id);

    /**
     * What this service presents to the coordinator: {@code verdict.participant.coordinator-key}, an
     * API key or a JWT whose role is participant (and client, to begin transactions) under this
     * participant's name. Set it from a secret, e.g. the VERDICT_PARTICIPANT_COORDINATOR_KEY variable.
     */
    default String credential() {
        return ConfigProvider.getConfig().getOptionalValue("verdict.participant.coordinator-key", String.class)
                .map(key -> "Bearer " + key.strip()).orElse(null);
    }
}
