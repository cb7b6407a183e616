package dev.verdict.bench;

import io.vertx.core.Future;
import java.util.List;
import java.util.Random;

/**
 * One transaction as a client and its services drive it through the coordinator: begin, enlist
 * each participant (as each service would on receiving the context header), commit. With several
 * coordinator replicas each request goes to one of them at random, as through a load balancer
 * that knows nothing of transactions.
 */
final class CoordinatorFlow {

    private final Http http;
    private final List<Integer> ports;
    /** Seeded, so that two runs route alike; only the generator's one event loop draws from it. */
    private final Random random;

    CoordinatorFlow(Http http, List<Integer> ports, long seed) {
        this.http = http;
        this.ports = List.copyOf(ports);
        this.random = new Random(seed);
    }

    Future<Outcome> run(List<String> participants) {
        Future<String> begun = http.post(port(), "/transactions", null).map(reply -> {
            expect(reply, 201, "begin");
            return reply.transactionHeader();
        });
        for (String p : participants) {
            begun = begun.compose(id -> http.post(port(), "/transactions/" + id + "/branches", "{\"participant\":\"" + p + "\"}")
                    .map(reply -> {
                        expect(reply, 200, "enlist");
                        return id;
                    }));
        }
        return begun.compose(id -> http.post(port(), "/transactions/" + id + "/commit", null)).map(reply -> switch (reply.status()) {
            case 200 -> Outcome.COMMITTED;
            case 409 -> Outcome.ROLLED_BACK;
            case 202 -> Outcome.UNDECIDED;
            default -> throw unexpected(reply, "commit");
        });
    }

    /** The replica the next request goes to. */
    private int port() {
        return ports.get(random.nextInt(ports.size()));
    }

    static void expect(Http.Reply reply, int status, String what) {
        if (reply.status() != status) {
            throw unexpected(reply, what);
        }
    }

    static IllegalStateException unexpected(Http.Reply reply, String what) {
        String body = reply.text();
        return new IllegalStateException(what + " answered " + reply.status() + ": "
                + (body.length() > 200 ? body.substring(0, 200) : body));
    }
}
