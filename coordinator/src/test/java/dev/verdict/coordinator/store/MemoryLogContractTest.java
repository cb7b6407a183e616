package dev.verdict.coordinator.store;

import dev.verdict.coordinator.support.MemoryLog;
import java.time.Instant;

/** The simulation's in-memory log meets the same contract as the PostgreSQL one. */
class MemoryLogContractTest extends TransactionLogContract {

    private final MemoryLog log = new MemoryLog(Instant::now, MemoryLog.Flaw.NONE);

    @Override
    Stores stores() {
        return new Stores(log, log, log, log);
    }
}
