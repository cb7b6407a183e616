package dev.verdict.coordinator.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;

/**
 * Every instant the coordinator writes in JSON has exactly six fraction digits
 * ({@code 2026-11-22T04:23:30.101000Z}): microseconds, what PostgreSQL keeps. Jackson's default
 * prints as many digits as the value has, so one instant read from memory and then from the log
 * looked like two. The clock ticks in microseconds too ({@code wiring/Wiring}), so what memory
 * shows is exactly what the log stores; a finer instant from anywhere else is truncated here.
 */
@Singleton
public class Timestamps implements ObjectMapperCustomizer {

    static final DateTimeFormatter MICROS = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 6, 6, true)
            .appendLiteral('Z')
            .toFormatter()
            .withZone(ZoneOffset.UTC);

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(new SimpleModule("verdict-timestamps").addSerializer(Instant.class, new Micros()));
    }

    /** After Quarkus' own customizers, which register the java.time module this overrides for instants. */
    @Override
    public int priority() {
        return MINIMUM_PRIORITY;
    }

    private static final class Micros extends StdSerializer<Instant> {
        Micros() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator out, SerializerProvider provider) throws IOException {
            out.writeString(MICROS.format(value));
        }
    }
}
