package dev.verdict.coordinator.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.coordinator.model.HistoryEntry;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How history entries sit in rows of {@code transaction_history} (V8): a row holds consecutive
 * entries of one transaction from one node's batch, as a json array, numbered
 * {@code first_id..last_id}. Grouping is what makes history cheap to store: a committed
 * two-participant transaction is one or two rows, not ten.
 */
final class HistoryRows {

    /** Most entries in one row, so no row (and no read of one) grows without bound. */
    static final int MAX_ENTRIES = 100;
    /** The columns {@link #read} reads, in its order. */
    static final String COLUMNS = "first_id, transaction_id, node, entries";

    private static final TypeReference<List<Stored>> ENTRIES = new TypeReference<>() {};

    /** One entry as stored in the array: what the row does not already say. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record Stored(String at, String kind, String participant, Map<String, Object> detail) {}

    private final ObjectMapper json;

    HistoryRows(ObjectMapper json) {
        this.json = json;
    }

    /**
     * A batch as rows: each transaction's entries in the order recorded, rows in the order their
     * first entry was recorded. Entries without a transaction (a participant's) are rows of their own.
     */
    static List<List<HistoryEntry>> group(List<HistoryEntry> batch) {
        Map<List<String>, List<HistoryEntry>> open = new LinkedHashMap<>();
        List<List<HistoryEntry>> rows = new ArrayList<>();
        for (HistoryEntry e : batch) {
            if (e.transactionId() == null) {
                rows.add(List.of(e));
                continue;
            }
            List<String> key = List.of(e.transactionId(), e.node());
            List<HistoryEntry> row = open.get(key);
            if (row == null || row.size() == MAX_ENTRIES) {
                row = new ArrayList<>();
                open.put(key, row);
                rows.add(row);
            }
            row.add(e);
        }
        return rows;
    }

    /** The json array of one row's entries. */
    String write(List<HistoryEntry> row) {
        List<Stored> stored = new ArrayList<>(row.size());
        for (HistoryEntry e : row) {
            stored.add(new Stored(e.at().toString(), e.kind(), e.participant(), e.detail()));
        }
        try {
            return json.writeValueAsString(stored);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("history detail not serialisable", e);
        }
    }

    /** A row read with {@link #COLUMNS}, as entries with their ids. */
    List<HistoryEntry> read(ResultSet r) throws SQLException {
        long firstId = r.getLong(1);
        String transactionId = r.getString(2);
        String node = r.getString(3);
        List<Stored> stored;
        try {
            stored = json.readValue(r.getString(4), ENTRIES);
        } catch (JsonProcessingException e) {
            throw new SQLException("history row " + firstId + " does not hold an array of entries", e);
        }
        if (stored.isEmpty()) {
            throw new SQLException("history row " + firstId + " holds no entries");
        }
        List<HistoryEntry> entries = new ArrayList<>(stored.size());
        for (int i = 0; i < stored.size(); i++) {
            Stored s = stored.get(i);
            entries.add(new HistoryEntry(firstId + i, transactionId, Instant.parse(s.at()), node, s.kind(), s.participant(),
                    Objects.requireNonNullElse(s.detail(), Map.of())));
        }
        return entries;
    }
}
