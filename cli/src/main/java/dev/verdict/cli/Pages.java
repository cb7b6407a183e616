package dev.verdict.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A paged listing ({@code {"items": [...], "nextCursor": ...}}): one page, or with {@code --all}
 * every page, following the cursors. Bounded, so that a listing that keeps growing cannot keep the
 * command running for ever: past {@link #MAX_PAGES} it stops and hands back the cursor to go on.
 */
final class Pages {

    static final int MAX_PAGES = 200;

    private Pages() {}

    /** The body of the first page unchanged, or with {@code all} that body holding every item read. */
    static ApiClient.Answer fetch(ApiClient api, String path, Map<String, Object> query, boolean all) {
        ApiClient.Answer first = api.get(path, query);
        if (!all) {
            return first;
        }
        ArrayNode items = ApiClient.JSON.createArrayNode();
        items.addAll((ArrayNode) first.json().withArray("items"));
        JsonNode cursor = first.json().path("nextCursor");
        for (int page = 1; page < MAX_PAGES && cursor.isTextual(); page++) {
            Map<String, Object> next = new LinkedHashMap<>(query);
            next.put("cursor", cursor.asText());
            JsonNode answer = api.get(path, next).json();
            items.addAll((ArrayNode) ((ObjectNode) answer).withArray("items"));
            cursor = answer.path("nextCursor");
        }
        // The first page's other fields (a search's nodes, and which of them did not answer) stay.
        ObjectNode merged = ((ObjectNode) first.json()).deepCopy();
        merged.set("items", items);
        merged.set("nextCursor", cursor.isTextual() ? cursor : ApiClient.JSON.nullNode());
        return new ApiClient.Answer(merged.toString(), merged);
    }

    /** The line that tells a person how to read on, if there is more. */
    static String more(JsonNode page, boolean all) {
        JsonNode cursor = page.path("nextCursor");
        if (!cursor.isTextual()) {
            return null;
        }
        return all ? "Stopped after " + MAX_PAGES + " pages; go on with --cursor " + cursor.asText()
                : "More: add --cursor " + cursor.asText() + " (or --all)";
    }
}
