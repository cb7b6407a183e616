package dev.verdict.e2e.faults;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy between the coordinator and its PostgreSQL. It can take the database away (cut
 * every connection and refuse new ones) and, armed once, lose exactly the acknowledgement of a
 * log group holding a commit decision: it watches the PostgreSQL wire protocol for a statement
 * whose parameters carry the state {@code COMMITTING} (only a decision group's do) and, when the
 * server reports it done and ready for the next query, closes the connection instead of passing
 * the answer on. The group is then committed (autocommit, one statement); the coordinator never
 * hears so.
 */
public final class DbProxy implements AutoCloseable {

    private static final byte[] DECISION = "COMMITTING".getBytes(StandardCharsets.US_ASCII);
    /** ReadyForQuery: type 'Z', length 5; the statement is finished and, in autocommit, committed. */
    private static final byte[] READY = {'Z', 0, 0, 0, 5};

    private final NetServer server;
    private final NetClient client;
    private final int targetPort;
    private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
    private volatile boolean down;
    private final AtomicBoolean loseNextDecisionAck = new AtomicBoolean();
    private final AtomicInteger acksLost = new AtomicInteger();

    public DbProxy(Vertx vertx, int targetPort) throws Exception {
        this.targetPort = targetPort;
        this.client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true));
        this.server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setTcpNoDelay(true))
                .connectHandler(this::accept);
        server.listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public int port() {
        return server.actualPort();
    }

    /** The database goes away: open connections are cut and new ones refused. */
    public void cut() {
        down = true;
        sockets.forEach(NetSocket::close);
    }

    public void restore() {
        down = false;
    }

    /** Cuts every open connection once; new ones are accepted. */
    public void dropConnections() {
        sockets.forEach(NetSocket::close);
    }

    /** The next decision group is committed by the database, but its acknowledgement is lost. */
    public void loseNextDecisionAck() {
        loseNextDecisionAck.set(true);
    }

    public int acksLost() {
        return acksLost.get();
    }

    private void accept(NetSocket in) {
        if (down) {
            in.close();
            return;
        }
        in.pause();
        client.connect(targetPort, "127.0.0.1").onFailure(e -> in.close()).onSuccess(out -> {
            sockets.add(in);
            sockets.add(out);
            AtomicBoolean decisionPending = new AtomicBoolean();
            in.handler(buf -> {
                if (contains(buf, DECISION)) {
                    decisionPending.set(true);
                }
                out.write(buf);
            });
            out.handler(buf -> {
                if (decisionPending.get() && contains(buf, READY)) {
                    decisionPending.set(false);
                    if (loseNextDecisionAck.compareAndSet(true, false)) {
                        acksLost.incrementAndGet();
                        in.close();
                        out.close();
                        return;
                    }
                }
                in.write(buf);
            });
            in.closeHandler(v -> {
                sockets.remove(in);
                out.close();
            });
            out.closeHandler(v -> {
                sockets.remove(out);
                in.close();
            });
            in.resume();
        });
    }

    private static boolean contains(Buffer buf, byte[] needle) {
        byte[] hay = buf.getBytes();
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Override
    public void close() {
        cut();
        server.close();
        client.close();
    }
}
