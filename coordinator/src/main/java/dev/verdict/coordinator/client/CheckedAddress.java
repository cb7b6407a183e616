package dev.verdict.coordinator.client;

import dev.verdict.coordinator.service.CallbackPolicy;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Resolves a URL's host and checks the address against the {@link CallbackPolicy} just before a
 * call, then aims the request at exactly that address: a name that has come to resolve to a
 * forbidden address since it was configured or registered (DNS rebinding) is never called.
 * Participant callbacks and alert webhooks both go through here.
 */
final class CheckedAddress {

    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

    private CheckedAddress() {}

    static Future<RequestOptions> connectTo(Vertx vertx, CallbackPolicy policy, URI url, RequestOptions request) {
        Promise<InetAddress> resolved = Promise.promise();
        InetAddress literal = literal(url.getHost());
        if (literal != null) {
            resolved.complete(literal); // an address needs no lookup (and no trip through the resolver)
        } else {
            ((VertxInternal) vertx).resolveAddress(url.getHost(), resolved);
        }
        return resolved.future().map(address -> {
            policy.checkCall(url.getHost(), address);
            int port = url.getPort() != -1 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
            return request.setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()));
        });
    }

    /** The address a URL's host spells out (IPv4 dotted quad or bracketed IPv6), or null for a name. */
    private static InetAddress literal(String host) {
        if (!host.startsWith("[") && !IPV4.matcher(host).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(host); // a literal: parsed, never looked up
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
