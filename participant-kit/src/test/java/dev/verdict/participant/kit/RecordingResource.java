package dev.verdict.participant.kit;

import dev.verdict.protocol.Vote;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A test resource that votes as told and records what the kit called, per transaction. */
abstract class RecordingResource implements LocalResource {

    private final Map<String, List<String>> calls = new ConcurrentHashMap<>();
    private final Map<String, Vote> votes = new ConcurrentHashMap<>();

    @Override
    public Vote prepare(String txId) {
        record(txId, "prepare");
        return votes.getOrDefault(txId, Vote.PREPARED);
    }

    @Override
    public void commit(String txId) {
        record(txId, "commit");
    }

    @Override
    public void rollback(String txId, boolean prepared) {
        record(txId, prepared ? "rollback-prepared" : "rollback");
    }

    /** Makes the next prepare of {@code txId} vote {@code vote} (a method: a client proxy's fields are its own). */
    void willVote(String txId, Vote vote) {
        votes.put(txId, vote);
    }

    List<String> callsOf(String txId) {
        return calls.getOrDefault(txId, List.of());
    }

    private void record(String txId, String call) {
        calls.computeIfAbsent(txId, t -> new CopyOnWriteArrayList<>()).add(call);
    }
}
