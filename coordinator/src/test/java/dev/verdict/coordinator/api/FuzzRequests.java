package dev.verdict.coordinator.api;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;

/**
 * Bad requests, drawn at random from one seed, for every route of the resource classes and the
 * health and metrics endpoints: bad bodies ({@link FuzzBodies}); overlong and mangled ids and
 * names; paths with parameters, empty and dot segments; wrong methods; broken headers, request
 * lines and queries. None of them is a request the coordinator may act on.
 */
final class FuzzRequests {

    /** One route; {@code body} is the JSON object it reads (a record), or null. */
    record Route(String method, String template, Class<?> body) {
        boolean isRead() {
            return method.equals("GET");
        }
    }

    /**
     * One request. {@code mayPass}: it may be answered 2xx (a read, or a well-formed id nobody
     * knows). Any other probe must be refused with a 4xx.
     */
    record Probe(Route route, String kind, String method, byte[] target, List<String> headers, byte[] body,
                 boolean contentLength, boolean mayPass, String version, boolean host) {
        Probe(Route route, String kind, String method, byte[] target, List<String> headers, byte[] body,
              boolean contentLength, boolean mayPass) {
            this(route, kind, method, target, headers, body, contentLength, mayPass, "HTTP/1.1", true);
        }

        String describe() {
            String shown = body.length > 120 ? new String(body, 0, 120, StandardCharsets.ISO_8859_1) + "…(" + body.length + " bytes)"
                    : new String(body, StandardCharsets.ISO_8859_1);
            return kind + ": " + escape(method) + " " + escape(new String(target, StandardCharsets.ISO_8859_1)) + " "
                    + escape(version) + (host ? "" : " (no Host)") + " " + headers.stream().map(FuzzRequests::escape).toList()
                    + " " + escape(shown);
        }
    }

    /**
     * What the fuzz aims at: ids and names that exist, well-formed ones that do not, and the body
     * each route would accept.
     */
    record Targets(List<String> ids, List<String> names, String unknownId, String unknownName,
                   Map<Class<?>, String> validBodies) {}

    /** The protocol's rules (docs/protocol.md, sections 2 and 3), stated here independently of the coordinator's code. */
    static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[0-9a-z.]{1,64}");
    static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    static final List<String> QUARKUS_ROUTES = List.of("/q/health", "/q/health/live", "/q/health/ready",
            "/q/health/started", "/q/metrics");

    private static final String[] METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "TRACE", "OPTIONS",
            "CONNECT", "FOO", "BREW", "PROPFIND", "get", "put", "delete", "M".repeat(200)};
    private static final String[] ID_MUTATIONS = {"\u0000", "%00", ";x=1", ";", "%3Bx=1", "%2F", "%2f..%2f", "%0d%0aX-Injected:%201",
            "%C3%A9", "é", "%E2%80%AE", "%EF%BB%BF", "%E2%80%8B", "%FF", "%C0%AF", "%zz", "%", "%4", "%20", "+", "\\",
            "%5C", "*", "'", "\"", "<", ">", "{", "|", "^", "%7B%7D", "..", "%2e%2e", "~", ":", "@", ","};

    private final List<Route> routes;
    private final Targets targets;
    private final FuzzBodies bodies;

    FuzzRequests(List<Route> routes, Targets targets) {
        this.routes = routes;
        this.targets = targets;
        this.bodies = new FuzzBodies(targets.validBodies());
    }

    /**
     * The routes of the resource classes. The record a route reads comes from its entity parameter,
     * or from {@code bodies} for one that parses its body itself.
     */
    static List<Route> routesOf(List<Class<?>> resources, Map<String, Class<?>> bodies) {
        List<Route> found = new ArrayList<>();
        for (Class<?> resource : resources) {
            String base = resource.getAnnotation(jakarta.ws.rs.Path.class).value();
            for (Method m : resource.getDeclaredMethods()) {
                String verb = httpMethod(m);
                if (verb == null) {
                    continue;
                }
                jakarta.ws.rs.Path sub = m.getAnnotation(jakarta.ws.rs.Path.class);
                String template = base + (sub == null ? "" : "/" + sub.value());
                Class<?> body = bodies.get(verb + " " + template);
                for (Parameter p : m.getParameters()) {
                    if (p.getAnnotations().length == 0 && p.getType().isRecord()) {
                        body = p.getType();
                    } else if (p.getAnnotations().length == 0 && body == null) {
                        throw new IllegalStateException(verb + " " + template + " reads a body: name the record it holds");
                    }
                }
                found.add(new Route(verb, template, body));
            }
        }
        QUARKUS_ROUTES.forEach(path -> found.add(new Route("GET", path, null)));
        return found;
    }

    Probe next(Random r) {
        Route route = routes.get(r.nextInt(routes.size()));
        if (route.body() != null && r.nextInt(12) < 7) {
            FuzzBodies.Body body = bodies.next(route.body(), r);
            return new Probe(route, body.kind(), route.method(), path(route, r), body.headers(), body.bytes(), body.contentLength(),
                    false);
        }
        List<BiFunction<Route, Random, Probe>> kinds = new ArrayList<>(List.of(this::pathProbe, this::wrongMethod,
                this::badHeader, this::oddRequestLine));
        if (route.isRead()) {
            kinds.add(this::badQuery);
        }
        return kinds.get(r.nextInt(kinds.size())).apply(route, r);
    }

    // --- paths, methods, headers, queries -----------------------------------------------------

    private Probe pathProbe(Route route, Random r) {
        String path = new String(path(route, r), StandardCharsets.ISO_8859_1);
        String[] shapes = {"/" + path, path.replace("/", "//"), path.replaceFirst("/([^/]*)$", "//$1"), path + ";x=1",
                path.replaceFirst("^/([a-z]+)", "/$1;x=1"), path.replaceFirst("^/([a-z]+)/", "/$1/./"),
                path.replaceFirst("^/([a-z]+)/", "/$1/x/../"), path.replaceFirst("^/", "/%2e/"),
                path.replaceFirst("^/", "/./"), path.replace("/", "/%2F"), path + "%00", path + "\u0000"};
        byte[] body = route.body() == null ? new byte[0] : bodies.valid(route.body()).getBytes(StandardCharsets.UTF_8);
        List<String> headers = route.body() == null ? List.of() : List.of("Content-Type: application/json");
        if (route.template().contains("{") && r.nextInt(3) > 0) {
            return new Probe(route, "mangled-id-or-name", route.method(), mangledTarget(route, r), headers, body, true, false);
        }
        String shaped;
        do {
            shaped = shapes[r.nextInt(shapes.length)];
        } while (shaped.equals(path)); // a shape that does not fit this path left it as it was
        return new Probe(route, "path-shape", route.method(), shaped.getBytes(StandardCharsets.ISO_8859_1), headers, body, true, false);
    }

    private Probe wrongMethod(Route route, Random r) {
        String method;
        do {
            method = METHODS[r.nextInt(METHODS.length)];
        } while (allowedOn(route.template()).contains(method) || method.equals("OPTIONS"));
        byte[] body = route.body() == null ? new byte[0] : bodies.valid(route.body()).getBytes(StandardCharsets.UTF_8);
        List<String> headers = route.body() == null ? List.of() : List.of("Content-Type: application/json");
        return new Probe(route, "wrong-method", method, path(route, r), headers, body, true, false);
    }

    /**
     * A broken header on a request that is refused anyway if the header is not: a read, or a
     * command on an unknown transaction or participant with a body that is not JSON.
     */
    private Probe badHeader(Route route, Random r) {
        String path = route.template().replace("{id}", targets.unknownId()).replace("{name}", targets.unknownName());
        byte[] target = (route.isRead() ? new String(path(route, r), StandardCharsets.UTF_8) : path)
                .getBytes(StandardCharsets.UTF_8);
        String[][] framing = {{"Content-Length: abc"}, {"Content-Length: -1"}, {"Content-Length: 1 2"},
                {"Content-Length: 99999999999999999999"}, {"Content-Length: +5"}, {"Content-Length: 0x10"},
                {"Content-Length: 2", "Content-Length: 3"}, {"Transfer-Encoding: chunked", "Content-Length: 3"},
                {"Transfer-Encoding: gzip"}, {"Transfer-Encoding: chunked\u0000"}, {"X-Bad: a\u0000b"}, {"X Bad: y"},
                {"NoColon"}, {"X-Folded: a", " b"}, {"X-Big: " + "y".repeat(40_000)}, {"Authorization: Bearer vdk_test-admin\u0000"},
                {"Content-Type: application/json\r"}, {": empty-name"}};
        String[] chosen = framing[r.nextInt(framing.length)];
        List<String> headers = new ArrayList<>(List.of(chosen));
        byte[] body = new byte[0];
        if (!route.isRead()) {
            headers.add("Content-Type: application/json");
            body = "{".getBytes(StandardCharsets.US_ASCII);
        }
        if (chosen[0].startsWith("Transfer-Encoding: chunked") && chosen.length > 1) {
            body = "zz\r\n{\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII); // bad chunk size too
        }
        boolean framed = headers.stream().anyMatch(h -> h.startsWith("Content-Length") || h.startsWith("Transfer-Encoding"));
        return new Probe(route, "bad-header", route.method(), target, headers, body, !framed, route.isRead());
    }

    /** Request lines of other forms and versions, and requests without a Host, on a request refused anyway if they pass. */
    private Probe oddRequestLine(Route route, Random r) {
        String path = route.isRead() ? new String(path(route, r), StandardCharsets.UTF_8)
                : route.template().replace("{id}", targets.unknownId()).replace("{name}", targets.unknownName());
        List<String> headers = route.isRead() ? List.of() : List.of("Content-Type: application/json");
        byte[] body = route.isRead() ? new byte[0] : "{".getBytes(StandardCharsets.US_ASCII);
        String[][] lines = {{route.method(), "*", "HTTP/1.1"}, {"OPTIONS", "*", "HTTP/1.1"},
                {route.method(), "http://localhost" + path, "HTTP/1.1"}, {route.method(), "localhost:80", "HTTP/1.1"},
                {route.method(), path, "HTTP/1.0"}, {route.method(), path, "HTTP/2.0"}, {route.method(), path, "HTTP/9.9"},
                {route.method(), path, "http/1.1"}, {route.method(), path, "HTTPS/1.1"}, {route.method(), path, ""},
                {route.method(), path, "HTTP/1.1 extra"}, {route.method(), " " + path, "HTTP/1.1"},
                {route.method(), path, "HTTP/1.1\u0000"}};
        String[] line = lines[r.nextInt(lines.length)];
        boolean host = r.nextInt(4) > 0;
        boolean mayPass = route.isRead() || line[0].equals("OPTIONS");
        return new Probe(route, "request-line", line[0], line[1].getBytes(StandardCharsets.UTF_8), headers, body, true, mayPass,
                line[2], host);
    }

    private Probe badQuery(Route route, Random r) {
        String[] queries = {"limit=abc", "limit=-1", "limit=0", "limit=1001", "limit=99999999999", "limit=1e3", "limit=1.5",
                "limit=%00", "limit=", "scope=x", "scope=node%00", "scope=NODE", "limit=%zz", "%zz=1", "scope=node&scope=x"};
        String query = queries[r.nextInt(queries.length)];
        byte[] path = path(route, r);
        byte[] target = (new String(path, StandardCharsets.ISO_8859_1) + "?" + query).getBytes(StandardCharsets.ISO_8859_1);
        // Only /status reads these parameters (a repeated one counts once, an empty one is absent);
        // elsewhere they are ignored like any unknown parameter, and reads change nothing.
        boolean mayPass = !route.template().equals("/status") || query.equals("scope=node&scope=x") || query.equals("limit=");
        return new Probe(route, "bad-query", route.method(), target, List.of(), new byte[0], true, mayPass);
    }

    // --- helpers ---------------------------------------------------------------------------------

    /** The route's path with an existing id or name. */
    private byte[] path(Route route, Random r) {
        String path = route.template().replace("{id}", pick(targets.ids(), r)).replace("{name}", pick(targets.names(), r));
        return path.getBytes(StandardCharsets.UTF_8);
    }

    /** The route's path with an existing id or name made into something that can be neither. */
    private byte[] mangledTarget(Route route, Random r) {
        boolean id = route.template().contains("{id}");
        java.util.regex.Pattern rule = id ? ID : NAME;
        String value;
        do {
            value = mangle(pick(id ? targets.ids() : targets.names(), r), r);
        } while (rule.matcher(decoded(value)).matches());
        return route.template().replace(id ? "{id}" : "{name}", value).getBytes(StandardCharsets.UTF_8);
    }

    private static String mangle(String value, Random r) {
        switch (r.nextInt(5)) {
            case 0:
                return value.toUpperCase();
            case 1: // past 64 characters, and now and then past the limit of a request line
                return value.repeat(65 / value.length() + 1 + r.nextInt(r.nextBoolean() ? 3 : 150));
            default:
                String m = ID_MUTATIONS[r.nextInt(ID_MUTATIONS.length)];
                int at = r.nextInt(value.length() + 1);
                return value.substring(0, at) + m + value.substring(at);
        }
    }

    /** Percent-decoded as a server would (UTF-8); what cannot be decoded is left as it is. */
    private static String decoded(String raw) {
        try {
            return java.net.URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return raw;
        }
    }

    private java.util.Set<String> allowedOn(String template) {
        java.util.Set<String> allowed = new java.util.HashSet<>();
        for (Route route : routes) {
            if (route.template().equals(template)) {
                allowed.add(route.method());
                if (route.isRead()) {
                    allowed.add("HEAD");
                }
            }
        }
        return allowed;
    }

    private static <T> T pick(List<T> list, Random r) {
        return list.get(r.nextInt(list.size()));
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : (s.length() > 200 ? s.substring(0, 200) + "…(" + s.length() + ")" : s).toCharArray()) {
            out.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }

    private static String httpMethod(Method m) {
        for (var a : m.getAnnotations()) {
            jakarta.ws.rs.HttpMethod verb = a.annotationType().getAnnotation(jakarta.ws.rs.HttpMethod.class);
            if (verb != null) {
                return verb.value();
            }
        }
        return null;
    }
}
