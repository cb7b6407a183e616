package dev.verdict.bench;

import java.util.List;
import java.util.stream.IntStream;

/**
 * One kind of transaction the benchmark drives: how many stub participants take part, how the
 * stubs behave, and how many coordinator processes share the requests. W5 (recovery) is not a
 * load shape but a scenario; see {@link RecoveryScenario}.
 */
enum Workload {
    W1("two participants, both vote PREPARED", 2, 0, 0, 1),
    W2("one participant: one-phase commit", 1, 0, 0, 1),
    W3("two participants, every 10th prepare of the second votes ABORT", 2, 0, 10, 1),
    W4_1MS("two participants, each call delayed 1 ms", 2, 1, 0, 1),
    W4_5MS("two participants, each call delayed 5 ms", 2, 5, 0, 1),
    W6("W1 against two coordinators on one database, each request to a random one", 2, 0, 0, 2);

    final String description;
    final int participants;
    final int delayMs;
    /** The second stub votes ABORT on every n-th prepare; 0 never. */
    final int abortEvery;
    /** Coordinator processes; with more than one, each request goes to one of them at random. */
    final int coordinators;

    Workload(String description, int participants, int delayMs, int abortEvery, int coordinators) {
        this.description = description;
        this.participants = participants;
        this.delayMs = delayMs;
        this.abortEvery = abortEvery;
        this.coordinators = coordinators;
    }

    String label() {
        return name().replace('_', '-').toLowerCase().replace("w", "W");
    }

    List<String> participantNames() {
        return IntStream.range(0, participants).mapToObj(StubParticipants::name).toList();
    }

    static Workload parse(String label) {
        return valueOf(label.trim().toUpperCase().replace('-', '_'));
    }
}
