package dev.verdict.coordinator.tracing;

import dev.verdict.coordinator.port.Tracing;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * {@link Tracing} on the OpenTelemetry API, used only when the SDK is enabled
 * ({@code quarkus.otel.sdk.disabled=false}). Spans are parented on the context each one was given,
 * never on a thread's: the driver's work moves between event loops, timers and the log writer.
 * Calls carry the W3C {@code traceparent} whatever propagators are configured, since the Vert.x
 * client they go through is not instrumented.
 */
public final class OtelTracing implements Tracing {

    private static final TextMapSetter<BiConsumer<String, String>> HEADERS = (carrier, key, value) -> carrier.accept(key, value);

    private final Tracer tracer;
    private volatile Supplier<String> node = () -> "unknown";

    public OtelTracing(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer("dev.verdict.coordinator");
    }

    /** Names the node on every span from now on: {@code name/incarnation}. */
    public void node(Supplier<String> node) {
        this.node = node;
    }

    @Override
    public Parent current() {
        Context context = Context.current();
        return io.opentelemetry.api.trace.Span.fromContext(context).getSpanContext().isValid() ? new At(context) : null;
    }

    @Override
    public Span start(String name, Parent parent) {
        return start(name, parent, SpanKind.INTERNAL);
    }

    @Override
    public Span startCall(String name, Parent parent) {
        return start(name, parent, SpanKind.CLIENT);
    }

    private Span start(String name, Parent parent, SpanKind kind) {
        SpanBuilder builder = tracer.spanBuilder(name).setSpanKind(kind);
        Context base = parent instanceof At at ? at.context : Context.root();
        if (parent instanceof At) {
            builder.setParent(base);
        } else {
            builder.setNoParent();
        }
        io.opentelemetry.api.trace.Span span = builder.setAttribute(NODE, node.get()).startSpan();
        return new Started(span, base.with(span));
    }

    /** A place in a trace: a request's context, or a span's. */
    private static class At implements Parent {
        final Context context;

        At(Context context) {
            this.context = context;
        }
    }

    private static final class Started extends At implements Span {
        private final io.opentelemetry.api.trace.Span span;

        Started(io.opentelemetry.api.trace.Span span, Context context) {
            super(context);
            this.span = span;
        }

        @Override
        public Span set(String key, String value) {
            if (value != null) {
                span.setAttribute(key, value);
            }
            return this;
        }

        @Override
        public Span set(String key, long value) {
            span.setAttribute(key, value);
            return this;
        }

        @Override
        public Span failed(String why) {
            span.setStatus(StatusCode.ERROR, why);
            if (why != null) {
                span.setAttribute(ERROR, why);
            }
            return this;
        }

        @Override
        public void inject(BiConsumer<String, String> header) {
            W3CTraceContextPropagator.getInstance().inject(context, header, HEADERS);
        }

        @Override
        public void end() {
            span.end();
        }
    }
}
