package dev.verdict.participant.kit;

import dev.verdict.protocol.Headers;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** A service that calls another (itself) through a REST client, with no header code, while in a transaction. */
@Path("/probe")
public class PropagationProbe {

    @RegisterRestClient(configKey = "probe")
    @Path("/probe")
    public interface Echo {
        @GET
        @Path("echo")
        String echo();
    }

    @Inject
    @RestClient
    Echo echo;

    /** What the called service saw in the header ("none" if nothing). */
    @GET
    @Path("echo")
    public String echo(@HeaderParam(Headers.TRANSACTION) String tx) {
        return tx == null ? "none" : tx;
    }

    /** Works in {@code tx} (as a join or a begin would make it) and calls out. */
    @POST
    @Path("in/{tx}")
    public String callOutIn(@PathParam("tx") String tx) {
        CurrentTransaction.set(tx);
        return echo.echo();
    }

    @POST
    @Path("outside")
    public String callOutside() {
        return echo.echo();
    }
}
