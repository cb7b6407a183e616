package dev.verdict.coordinator.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP/1.1 over a bare socket, one request per connection: what HTTP client libraries refuse to
 * send (NUL bytes and CR/LF in paths, duplicate or false Content-Length, made-up methods) goes out
 * byte for byte, and the answer is read as it comes.
 */
final class RawHttp {

    /** An answer, or {@code status} 0 when the server closed the connection without one. */
    record Answer(int status, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private static final int TIMEOUT_MS = 30_000;

    private final int port;

    RawHttp(int port) {
        this.port = port;
    }

    /** The request head is given without its final blank line; {@code body} follows it as is. */
    Answer send(String method, byte[] head, byte[] body) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(TIMEOUT_MS);
            socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(head);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
            } catch (IOException closedWhileSending) {
                // The server may answer and close before reading everything (e.g. 413): read what it said.
            }
            return read(socket.getInputStream(), method.equals("HEAD"));
        }
    }

    private static Answer read(InputStream in, boolean head) throws IOException {
        String statusLine;
        try {
            statusLine = line(in);
        } catch (SocketTimeoutException e) {
            throw new IOException("no answer within " + TIMEOUT_MS + " ms", e);
        } catch (IOException reset) {
            statusLine = null;
        }
        if (statusLine == null || statusLine.isEmpty()) {
            return new Answer(0, Map.of(), new byte[0]);
        }
        String[] parts = statusLine.split(" ", 3);
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new TreeMap<>();
        for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            headers.merge(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim(),
                    (a, b) -> a + ", " + b);
        }
        if (head || status == 204 || status == 304 || status < 200) {
            return new Answer(status, headers, new byte[0]);
        }
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            return new Answer(status, headers, chunked(in));
        }
        String length = headers.get("content-length");
        return new Answer(status, headers, length == null ? in.readAllBytes() : in.readNBytes(Integer.parseInt(length)));
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (String size = line(in); size != null; size = line(in)) {
            int n = Integer.parseInt(size.split(";")[0].trim(), 16);
            if (n == 0) {
                break;
            }
            body.write(in.readNBytes(n));
            line(in);
        }
        return body.toByteArray();
    }

    /** One line without its CRLF; null at the end of the stream. */
    static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }
}
