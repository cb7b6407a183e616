package dev.verdict.participant.kit;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The coordinator's REST API as docs/protocol.md defines it. Methods return the raw response: the
 * default error mapper is disabled, so callers read problem documents themselves.
 */
@RegisterRestClient(configKey = "verdict-coordinator")
@jakarta.ws.rs.Produces(MediaType.APPLICATION_JSON)
@jakarta.ws.rs.Consumes(MediaType.APPLICATION_JSON)
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
}
