package dev.verdict.coordinator.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/** The jsonb {@code detail} column of history and audit rows: a flat JSON object. */
final class DetailColumn {

    private static final TypeReference<Map<String, Object>> DETAIL = new TypeReference<>() {};

    private final ObjectMapper json;

    DetailColumn(ObjectMapper json) {
        this.json = json;
    }

    String write(Map<String, Object> detail) {
        try {
            return json.writeValueAsString(detail);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("detail not serialisable", e);
        }
    }

    Map<String, Object> read(String detail) {
        try {
            return json.readValue(detail, DETAIL);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("detail column unreadable", e);
        }
    }
}
