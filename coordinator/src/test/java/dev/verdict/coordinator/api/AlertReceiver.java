package dev.verdict.coordinator.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.verdict.protocol.CallbackSignature;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver as an operator would run one: the JDK's HTTP server on a loopback port,
 * which checks each alert's signature as a participant checks a callback's. {@code /alerts}
 * accepts every signed alert; {@code /flaky} answers 500 to its first {@link #FLAKY_FAILURES}
 * requests. Its port is chosen before the coordinator starts (the webhook URLs are configuration)
 * and handed over in a system property, which the test profile and the test both read.
 */
final class AlertReceiver implements AutoCloseable {

    static final String SECRET = "RiOKbQGb2Diac0oVFhI69cTsXB9Zc-soij4sd5xl0iw";
    static final int FLAKY_FAILURES = 2;
    /** Not under verdict.: that prefix is validated as the coordinator's configuration. */
    private static final String PORT = "alert-receiver-test.port";

    record Alert(String path, String body, boolean signed) {}

    final List<Alert> received = new CopyOnWriteArrayList<>();
    final AtomicInteger flakyRefused = new AtomicInteger();
    private final HttpServer server;

    AlertReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port()), 16);
        server.createContext("/alerts", exchange -> answer(exchange, false));
        server.createContext("/flaky", exchange -> answer(exchange, true));
        server.start();
    }

    /** The same port in every class loader of the test JVM. */
    static synchronized int port() {
        String chosen = System.getProperty(PORT);
        if (chosen == null) {
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                chosen = String.valueOf(probe.getLocalPort());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            System.setProperty(PORT, chosen);
        }
        return Integer.parseInt(chosen);
    }

    List<Alert> at(String path) {
        return received.stream().filter(a -> a.path().equals(path)).toList();
    }

    private void answer(HttpExchange exchange, boolean flaky) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getRawPath();
        String timestamp = exchange.getRequestHeaders().getFirst(CallbackSignature.TIMESTAMP);
        boolean signed = timestamp != null && timestamp.matches("[0-9]{1,12}") && CallbackSignature.matches(
                CallbackSignature.decodeSecret(SECRET), exchange.getRequestMethod(), path, Long.parseLong(timestamp),
                exchange.getRequestHeaders().getFirst(CallbackSignature.NONCE), body,
                exchange.getRequestHeaders().getFirst(CallbackSignature.SIGNATURE));
        int status = 200;
        if (!signed) {
            status = 401;
        } else if (flaky && flakyRefused.incrementAndGet() <= FLAKY_FAILURES) {
            status = 500;
        }
        if (status == 200 || !signed) {
            received.add(new Alert(path, new String(body, java.nio.charset.StandardCharsets.UTF_8), signed));
        }
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
