package dev.verdict.coordinator.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.coordinator.core.Branch;
import java.util.List;

/** The {@code branches} jsonb column: a transaction's branches as a JSON array. */
final class BranchesColumn {

    private static final TypeReference<List<Branch>> BRANCHES = new TypeReference<>() {};

    private final ObjectMapper json;

    BranchesColumn(ObjectMapper json) {
        this.json = json;
    }

    String write(List<Branch> branches) {
        try {
            return json.writeValueAsString(branches);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise branches", e);
        }
    }

    List<Branch> read(String branches) {
        try {
            return json.readValue(branches, BRANCHES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt branches column: " + branches, e);
        }
    }
}
