package dev.verdict.participant.kit;

import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Joins the Verdict transaction named by the request's {@code Verdict-Transaction} header: enlists
 * this service's resource at the coordinator, then runs the method in one local transaction with
 * the record that it joined (docs/protocol.md, obligation 2), so both commit or neither, whatever
 * the method throws. REST-client calls the method makes carry the same header, so the services
 * they reach can join too; they run while its local transaction (and the row lock of this
 * transaction here) is held, so keep them short, and never call back into this service for the
 * same transaction from inside (it would wait for itself). Calls made after the method returns
 * carry the header too. Without the header the request is refused with 400; when the coordinator
 * refuses the enlistment, with its status (404, 409, 422) or 503, and the method does not run.
 *
 * <pre>{@code
 * @POST @Path("{id}/debits")
 * @JoinTransaction
 * public Receipt debit(@PathParam("id") String account, Amount amount) { ... }
 * }</pre>
 */
@Inherited
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface JoinTransaction {

    /** The {@link LocalResource#resourceName()} that joins; "" for the service's only or default resource. */
    @Nonbinding
    String value() default "";
}
