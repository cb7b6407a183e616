package dev.verdict.coordinator.port;

import java.util.function.BiConsumer;

/**
 * Spans for people reading traces (docs/operations.md, "Traces"). The service layer says where a
 * span starts and ends and what it carries; an adapter turns that into OpenTelemetry. Off (the
 * default), every call returns a constant: no span, no context, nothing allocated.
 *
 * <p>Asynchronous work carries its {@link Parent} explicitly: nothing here reads a thread's
 * context except {@link #current}, which request threads call once on entry.
 */
public interface Tracing {

    /** Attribute names, one definition for the code and docs/operations.md. */
    String TRANSACTION = "verdict.transaction.id";
    String PARTICIPANT = "verdict.participant";
    String VOTE = "verdict.vote";
    String OUTCOME = "verdict.outcome";
    String NODE = "verdict.node";
    String STATE = "verdict.transaction.state";
    String GROUP_SIZE = "verdict.log.group.size";
    String ATTEMPT = "verdict.retry.attempt";
    String REASON = "verdict.reason";
    String ERROR = "verdict.error";

    /** The trace of the request the calling thread serves (its server span), or null when none or off. */
    Parent current();

    /** Starts a span of this process's own work under {@code parent}; a new trace when it is null. */
    Span start(String name, Parent parent);

    /** Starts a span that calls another process; what the call sends carries it ({@link Span#inject}). */
    Span startCall(String name, Parent parent);

    /** A place in a trace that spans can hang under. Opaque to the service. */
    interface Parent {}

    /** One span. Every method is cheap and none throws; after {@link #end} it is only a parent. */
    interface Span extends Parent {

        Span set(String key, String value);

        Span set(String key, long value);

        /** Marks it failed (a delivery not answered, a write not confirmed), with why. */
        Span failed(String why);

        /** Writes the headers (W3C {@code traceparent}) that continue this span's trace in the process called. */
        void inject(BiConsumer<String, String> header);

        void end();
    }

    /** The span of tracing off: does nothing, and parents nothing. */
    Span NONE = new Span() {
        @Override
        public Span set(String key, String value) {
            return this;
        }

        @Override
        public Span set(String key, long value) {
            return this;
        }

        @Override
        public Span failed(String why) {
            return this;
        }

        @Override
        public void inject(BiConsumer<String, String> header) {
        }

        @Override
        public void end() {
        }
    };

    /** Tracing off. */
    Tracing OFF = new Tracing() {
        @Override
        public Parent current() {
            return null;
        }

        @Override
        public Span start(String name, Parent parent) {
            return NONE;
        }

        @Override
        public Span startCall(String name, Parent parent) {
            return NONE;
        }
    };
}
