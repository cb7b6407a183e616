package dev.verdict.e2e;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP trace receiver on a loopback port, in the test's own JVM: the processes under test
 * export to it with {@code quarkus.otel.exporter.otlp.traces.protocol=http/protobuf}, and it keeps
 * every span it is sent. The protobuf is read by hand, only the fields a test asks about (field
 * numbers of opentelemetry/proto/collector/trace/v1 and trace/v1), which needs no generated
 * classes and no protobuf runtime.
 */
final class OtlpReceiver implements AutoCloseable {

    /** One span as exported: ids in lower-case hex, the parent empty for a root, attributes as text. */
    record Span(String service, String traceId, String spanId, String parentId, String name, int kind,
                Map<String, String> attributes) {
        static final int INTERNAL = 1;
        static final int SERVER = 2;
        static final int CLIENT = 3;

        String attribute(String key) {
            return attributes.get(key);
        }
    }

    final List<Span> spans = new CopyOnWriteArrayList<>();
    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;

    OtlpReceiver() throws Exception {
        server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setTcpNoDelay(true))
                .requestHandler(req -> req.body().onSuccess(body -> {
                    try {
                        byte[] bytes = "gzip".equalsIgnoreCase(req.getHeader("Content-Encoding")) ? gunzip(body) : body.getBytes();
                        spans.addAll(decode(bytes));
                        req.response().setStatusCode(200).putHeader("Content-Type", "application/x-protobuf").end(Buffer.buffer());
                    } catch (RuntimeException e) {
                        req.response().setStatusCode(400).end(String.valueOf(e));
                    }
                }))
                .listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Where an exporter sends its spans: {@code quarkus.otel.exporter.otlp.traces.endpoint}. */
    String endpoint() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    /** The settings that turn a Quarkus service's traces on and send them here, quickly. */
    Map<String, String> exporterSettings(String service) {
        Map<String, String> p = new HashMap<>();
        p.put("quarkus.otel.sdk.disabled", "false");
        p.put("quarkus.otel.service.name", service);
        p.put("quarkus.otel.exporter.otlp.traces.endpoint", endpoint());
        p.put("quarkus.otel.exporter.otlp.traces.protocol", "http/protobuf");
        p.put("quarkus.otel.bsp.schedule.delay", "100ms");
        return p;
    }

    List<Span> inTrace(String traceId) {
        return spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static byte[] gunzip(Buffer body) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body.getBytes()))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // --- ExportTraceServiceRequest: resource_spans = 1 ------------------------------------------

    static List<Span> decode(byte[] request) {
        List<Span> out = new ArrayList<>();
        for (Field rs : fields(request)) {
            if (rs.number == 1) {
                resourceSpans(rs.bytes, out);
            }
        }
        return out;
    }

    /** ResourceSpans: resource = 1 (Resource: attributes = 1), scope_spans = 2 (ScopeSpans: spans = 2). */
    private static void resourceSpans(byte[] bytes, List<Span> out) {
        String service = "";
        List<byte[]> scopes = new ArrayList<>();
        for (Field f : fields(bytes)) {
            if (f.number == 1) {
                for (Field a : fields(f.bytes)) {
                    if (a.number == 1) {
                        Map.Entry<String, String> kv = keyValue(a.bytes);
                        if (kv.getKey().equals("service.name")) {
                            service = kv.getValue();
                        }
                    }
                }
            } else if (f.number == 2) {
                scopes.add(f.bytes);
            }
        }
        for (byte[] scope : scopes) {
            for (Field s : fields(scope)) {
                if (s.number == 2) {
                    out.add(span(service, s.bytes));
                }
            }
        }
    }

    /** Span: trace_id 1, span_id 2, parent_span_id 4, name 5, kind 6, attributes 9. */
    private static Span span(String service, byte[] bytes) {
        String trace = "", id = "", parent = "", name = "";
        int kind = 0;
        Map<String, String> attributes = new HashMap<>();
        for (Field f : fields(bytes)) {
            switch (f.number) {
                case 1 -> trace = HexFormat.of().formatHex(f.bytes);
                case 2 -> id = HexFormat.of().formatHex(f.bytes);
                case 4 -> parent = HexFormat.of().formatHex(f.bytes);
                case 5 -> name = new String(f.bytes, StandardCharsets.UTF_8);
                case 6 -> kind = (int) f.varint;
                case 9 -> {
                    Map.Entry<String, String> kv = keyValue(f.bytes);
                    attributes.put(kv.getKey(), kv.getValue());
                }
                default -> { }
            }
        }
        return new Span(service, trace, id, parent, name, kind, attributes);
    }

    /** KeyValue: key 1, value 2 (AnyValue: string 1, bool 2, int 3; others shown as "?"). */
    private static Map.Entry<String, String> keyValue(byte[] bytes) {
        String key = "", value = "?";
        for (Field f : fields(bytes)) {
            if (f.number == 1) {
                key = new String(f.bytes, StandardCharsets.UTF_8);
            } else if (f.number == 2) {
                for (Field v : fields(f.bytes)) {
                    value = switch (v.number) {
                        case 1 -> new String(v.bytes, StandardCharsets.UTF_8);
                        case 2 -> Boolean.toString(v.varint != 0);
                        case 3 -> Long.toString(v.varint);
                        default -> "?";
                    };
                }
            }
        }
        return Map.entry(key, value);
    }

    // --- the protobuf wire format -----------------------------------------------------------------

    /** One field: its number, and its varint or its bytes (length-delimited); fixed-size ones are skipped over. */
    private record Field(int number, long varint, byte[] bytes) {}

    private static List<Field> fields(byte[] b) {
        List<Field> out = new ArrayList<>();
        int[] at = {0};
        while (at[0] < b.length) {
            long tag = varint(b, at);
            int number = (int) (tag >>> 3);
            switch ((int) (tag & 7)) {
                case 0 -> out.add(new Field(number, varint(b, at), null));
                case 1 -> at[0] += 8;
                case 2 -> {
                    int length = (int) varint(b, at);
                    byte[] bytes = java.util.Arrays.copyOfRange(b, at[0], at[0] + length);
                    at[0] += length;
                    out.add(new Field(number, 0, bytes));
                }
                case 5 -> at[0] += 4;
                default -> throw new IllegalArgumentException("unsupported wire type in field " + number);
            }
        }
        return out;
    }

    private static long varint(byte[] b, int[] at) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte next = b[at[0]++];
            value |= (long) (next & 0x7f) << shift;
            if ((next & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("varint too long");
    }
}
