package dev.verdict.conformance;

import java.net.URI;

/**
 * A request given on the command line as {@code METHOD URL [BODY]}, e.g.
 * {@code POST http://127.0.0.1:8081/accounts/alice/debits {"amount":1}}: the participant's own API,
 * which the suite calls to make it do work (or join without work) under a transaction of its own.
 */
public record RequestTemplate(String method, URI url, String body) {

    static RequestTemplate parse(String flag, String text) {
        String[] parts = text.strip().split("\\s+", 3);
        if (parts.length < 2 || !parts[0].matches("[A-Z]+")) {
            throw new IllegalArgumentException(flag + " takes 'METHOD URL [BODY]', got '" + text + "'");
        }
        URI url = URI.create(parts[1]);
        if (!url.isAbsolute() || url.getHost() == null) {
            throw new IllegalArgumentException(flag + ": '" + parts[1] + "' is not an absolute http URL");
        }
        return new RequestTemplate(parts[0], url, parts.length == 3 ? parts[2] : null);
    }

    @Override
    public String toString() {
        return method + " " + url + (body == null ? "" : " " + body);
    }
}
