package dev.verdict.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What one coordinator's {@code GET /status} says: the transactions not yet finished across every
 * live node (the node asked adds the others' reports), and which nodes answered for it.
 *
 * @param answered names of the live nodes whose report is included, the asked one's among them
 */
record CoordinatorStatus(long unfinished, List<String> answered) {

    private static final List<String> UNFINISHED = List.of("ACTIVE", "PREPARING", "COMMITTING", "ROLLING_BACK");

    static CoordinatorStatus read(int port) throws IOException {
        JsonObject status;
        try (InputStream in = Credential.open("http://127.0.0.1:" + port + "/status?limit=1")) {
            status = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        JsonObject counts = status.getJsonObject("counts");
        long unfinished = UNFINISHED.stream().mapToLong(s -> counts.getLong(s, 0L)).sum();
        List<String> answered = new ArrayList<>();
        JsonArray nodes = status.getJsonArray("nodes");
        for (int i = 0; i < nodes.size(); i++) {
            JsonObject node = nodes.getJsonObject(i);
            if (node.getBoolean("answered", false)) {
                answered.add(node.getString("name"));
            }
        }
        return new CoordinatorStatus(unfinished, answered);
    }
}
