package dev.verdict.coordinator.api;

import dev.verdict.coordinator.api.Views.AuditEntryView;
import dev.verdict.coordinator.api.Views.Page;
import dev.verdict.coordinator.port.AuditTrail;
import dev.verdict.security.Roles;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** The operators' audit log, newest first (docs/operator-api.md). */
@Path("/audit")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class AuditResource {

    @Inject
    AuditTrail audit;

    @GET
    @RolesAllowed(Roles.OPERATOR)
    public Page<AuditEntryView> find(@QueryParam("actor") String actor, @QueryParam("action") String action,
                                     @QueryParam("transaction") String transaction, @QueryParam("participant") String participant,
                                     @QueryParam("since") String since, @QueryParam("until") String until,
                                     @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        int n = Queries.intParam("limit", limit, 50, 1, 500);
        Long before = Queries.idParam("cursor", cursor);
        var filter = new AuditTrail.Filter(blankToNull(actor), blankToNull(action), blankToNull(transaction),
                blankToNull(participant), Queries.instant("since", since), Queries.instant("until", until));
        List<AuditEntryView> items = audit.find(filter, before, n + 1).stream().map(AuditEntryView::of).toList();
        boolean more = items.size() > n;
        List<AuditEntryView> page = more ? items.subList(0, n) : items;
        return new Page<>(page, more ? String.valueOf(page.get(n - 1).id()) : null);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
