package dev.verdict.bank;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;

/**
 * Another bank's API, as a REST client. No transaction header here: the participant kit adds it to
 * every call made while a request works in a transaction, so the peer's credit joins it.
 */
@Path("/accounts")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@ClientHeaderParam(name = "Authorization", value = "{credential}", required = false)
public interface PeerBank {

    @POST
    @Path("{account}/credits")
    Map<String, Object> credit(@PathParam("account") String account, Map<String, Object> body);

    /** This bank's credential at its peers ({@code bank.peer-key}, role participant there). */
    default String credential() {
        return ConfigProvider.getConfig().getOptionalValue("bank.peer-key", String.class)
                .map(key -> "Bearer " + key.strip()).orElse(null);
    }
}
