package dev.verdict.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A participant reduced to its callbacks (docs/protocol.md §5), served by the JDK's HTTP server
 * on loopback inside the test JVM: it votes PREPARED and applies whatever it is told, unless it is
 * told to fail phase 2 or is down (its server stopped, so the coordinator meets a refused
 * connection). It ignores the callback signatures (§5a): nothing but the test's own coordinator
 * can reach it, and the point is the coordinator's side.
 */
public final class ScriptedParticipant implements AutoCloseable {

    static {
        // Without it the JDK server answers after Nagle's delay (about 40 ms a call).
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final String name;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private volatile boolean failingPhaseTwo;
    private HttpServer server;
    /** Kept when it goes down, so that it comes back where it was registered. */
    private int port;

    private ScriptedParticipant(String name) {
        this.name = name;
    }

    /** Serves its callbacks on a free loopback port, answering every one. */
    public static ScriptedParticipant start(String name) throws IOException {
        ScriptedParticipant participant = new ScriptedParticipant(name);
        participant.serve(0);
        return participant;
    }

    public String name() {
        return name;
    }

    /** The base URL it registers (callbacks go to {@code <this>/transactions/{id}/{action}}). */
    public String callbackUrl() {
        return "http://127.0.0.1:" + port + "/verdict";
    }

    /** Every callback it answered, as {@code action id}, in arrival order. */
    public List<String> received() {
        return List.copyOf(received);
    }

    /** Commit, rollback and one-phase callbacks get 503 from now on; prepares are still voted. */
    public void failPhaseTwo() {
        failingPhaseTwo = true;
    }

    /** Its server stops: every later callback finds the connection refused. */
    public synchronized void goDown() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    /** Serves again on the same port, answering everything: the coordinator's retries get through. */
    public synchronized void comeBack() throws IOException {
        failingPhaseTwo = false;
        if (server == null) {
            serve(port);
        }
    }

    public boolean isDown() {
        return server == null;
    }

    private synchronized void serve(int wantedPort) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", wantedPort), 16);
        server.createContext("/verdict/transactions/", this::answer);
        server.start();
        port = server.getAddress().getPort();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            body.readAllBytes();
            String[] path = exchange.getRequestURI().getPath().split("/"); // "", verdict, transactions, id, action
            String action = path.length == 5 ? path[4] : "";
            received.add(action + " " + (path.length == 5 ? path[3] : "?"));
            String json = switch (action) {
                case "prepare" -> "{\"vote\":\"PREPARED\"}";
                case "commit", "commit-one-phase" -> failingPhaseTwo ? null : "{\"outcome\":\"COMMITTED\"}";
                case "rollback" -> failingPhaseTwo ? null : "{\"outcome\":\"ROLLED_BACK\"}";
                default -> null;
            };
            if (json == null) {
                reply(exchange, 503, "{\"title\":\"" + name + " is failing phase 2 on purpose\"}");
            } else {
                reply(exchange, 200, json);
            }
        }
    }

    private static void reply(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        goDown();
    }
}
