package dev.verdict.coordinator.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Server-Sent Events reader over a bare socket, as a browser's fetch() reads the stream: the
 * chunked body is decoded by hand and every frame is kept byte for byte ({@link Frame#raw}), so a
 * test sees the exact framing. A reader thread parses frames until the stream ends, unless the
 * test asks it not to read at all ({@code reading = false}): a consumer that stopped reading.
 */
final class SseClient implements AutoCloseable {

    /** One frame: the text up to and including its blank line; {@code id}, {@code event}, {@code data} or {@code comment}. */
    record Frame(String raw, String id, String event, String data, String comment) {}

    static final Frame END = new Frame("", null, null, null, null);

    final int status;
    final Map<String, String> headers = new TreeMap<>();
    /** The body of a refusal (not a stream). */
    String body = "";
    private final Socket socket;
    private final InputStream in;
    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final StringBuilder pending = new StringBuilder();

    /** @param receiveBuffer SO_RCVBUF in bytes, or 0 for the default */
    SseClient(int port, String pathAndQuery, String authorization, Map<String, String> extraHeaders, boolean reading,
              int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(30_000);
        StringBuilder head = new StringBuilder("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Accept: text/event-stream\r\n");
        if (authorization != null) {
            head.append("Authorization: ").append(authorization).append("\r\n");
        }
        extraHeaders.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        OutputStream out = socket.getOutputStream();
        out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
        in = socket.getInputStream();
        String statusLine = line();
        status = Integer.parseInt(statusLine.split(" ")[1]);
        for (String h = line(); !h.isEmpty(); h = line()) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
        }
        if (status != 200) {
            String length = headers.get("content-length");
            body = length != null ? new String(in.readNBytes(Integer.parseInt(length)), StandardCharsets.UTF_8)
                    : new String(chunk(), StandardCharsets.UTF_8);
            return;
        }
        if (reading) {
            Thread reader = new Thread(this::readAll, "sse-client");
            reader.setDaemon(true);
            reader.start();
        }
    }

    SseClient(int port, String pathAndQuery, String authorization) throws IOException {
        this(port, pathAndQuery, authorization, Map.of(), true, 0);
    }

    /** The next frame, or {@link #END} once the stream ended; fails after {@code wait}. */
    Frame next(Duration wait) throws InterruptedException {
        Frame f = frames.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (f == null) {
            throw new AssertionError("no frame within " + wait);
        }
        return f;
    }

    /** The next frame that is not a comment. */
    Frame nextEvent(Duration wait) throws InterruptedException {
        for (Frame f = next(wait); ; f = next(wait)) {
            if (f.comment() == null) {
                return f;
            }
        }
    }

    /** Nothing but comments within {@code wait}. */
    boolean quietFor(Duration wait) throws InterruptedException {
        long until = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < until) {
            Frame f = frames.poll(Math.max(1, (until - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
            if (f != null && f.comment() == null) {
                return false;
            }
        }
        return true;
    }

    /** Starts the reader thread for a client created with {@code reading = false}. */
    void startReading() {
        Thread reader = new Thread(this::readAll, "sse-client");
        reader.setDaemon(true);
        reader.start();
    }

    private void readAll() {
        try {
            for (byte[] c = chunk(); c.length > 0; c = chunk()) {
                pending.append(new String(c, StandardCharsets.UTF_8));
                for (int end; (end = pending.indexOf("\n\n")) >= 0; ) {
                    frames.add(parse(pending.substring(0, end + 2)));
                    pending.delete(0, end + 2);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the stream ended by a cut: reported like a clean end, the test tells them apart by the frames
        }
        frames.add(END);
    }

    private static Frame parse(String raw) {
        String id = null;
        String event = null;
        String data = null;
        String comment = null;
        for (String line : raw.substring(0, raw.length() - 2).split("\n", -1)) {
            if (line.startsWith(":")) {
                comment = line.substring(1).strip();
            } else if (line.startsWith("id: ")) {
                id = line.substring(4);
            } else if (line.startsWith("event: ")) {
                event = line.substring(7);
            } else if (line.startsWith("data: ")) {
                data = data == null ? line.substring(6) : data + "\n" + line.substring(6);
            } else {
                throw new AssertionError("not an SSE line as Verdict writes them: '" + line + "' in " + raw);
            }
        }
        return new Frame(raw, id, event, data, comment);
    }

    /** One chunk of a chunked body; empty at its end. */
    private byte[] chunk() throws IOException {
        String size = line();
        if (size == null) {
            return new byte[0];
        }
        int n = Integer.parseInt(size.split(";")[0].trim(), 16);
        if (n == 0) {
            return new byte[0];
        }
        byte[] data = in.readNBytes(n);
        line();
        return data;
    }

    private String line() throws IOException {
        return RawHttp.line(in);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
