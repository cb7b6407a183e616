package dev.verdict.e2e;

import dev.verdict.e2e.faults.LinkProxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The chaos soak: two coordinator replicas on one database and three sample banks as real
 * processes ({@link ReplicaWorld}), clients sending random transfers concurrently, and every few
 * seconds a seeded fault: SIGKILL and restart of either coordinator or a bank, a frozen link,
 * garbage answers, dropped database connections, a lost decision acknowledgement. Then
 * everything heals, the system goes quiet, and the world's checker reads the whole history.
 */
final class ChaosSoak {

    private static final int CLIENTS = 4;

    record Result(long seed, Duration duration, int transfers, int committed, int rolledBack, int refused,
                  int unknown, int faults, List<String> violations) {

        boolean passed() {
            return violations.isEmpty();
        }

        String verdictLine() {
            return String.format("SOAK %s seed=%d duration=%ds transfers=%d committed=%d rolledBack=%d refused=%d"
                            + " unknown=%d faults=%d violations=%d", passed() ? "PASSED" : "FAILED", seed,
                    duration.toSeconds(), transfers, committed, rolledBack, refused, unknown, faults, violations.size());
        }
    }

    private final long seed;
    private final Duration duration;
    private final Random random;
    private final AtomicInteger faults = new AtomicInteger();
    private final ReplicaWorld world;

    ChaosSoak(long seed, Duration duration) {
        this.seed = seed;
        this.duration = duration;
        this.random = new Random(seed);
        this.world = new ReplicaWorld("soak", seed, List.of("soak-1", "soak-2"), Map.of(
                "verdict.retry.max", "1s",
                "verdict.recovery.heartbeat-interval", "500ms",
                "verdict.recovery.node-timeout", "4s"));
    }

    Result run() throws Exception {
        try (world) {
            world.start();
            world.startLoad(CLIENTS, Duration.ZERO, random);
            injectFaultsUntil(System.nanoTime() + duration.toNanos());
            world.stopLoad();
            log("healing");
            ReplicaWorld.Tally t = world.check(world.heal());
            Result result = new Result(seed, duration, t.transfers(), t.committed(), t.rolledBack(), t.refused(),
                    t.unknown(), faults.get(), t.violations());
            log(result.verdictLine());
            return result;
        }
    }

    private void injectFaultsUntil(long deadline) throws Exception {
        while (System.nanoTime() < deadline) {
            ReplicaWorld.pause(3_000 + random.nextInt(3_000));
            if (System.nanoTime() >= deadline) {
                return;
            }
            faults.incrementAndGet();
            int kind = random.nextInt(7);
            int bank = random.nextInt(ReplicaWorld.BANKS);
            LinkProxy link = world.links.get(bank);
            String bankName = ReplicaWorld.bankName(bank);
            switch (kind) {
                case 0 -> {
                    Service c = world.coordinators.get(random.nextInt(world.coordinators.size()));
                    log("SIGKILL " + c.name + ", restart");
                    c.kill();
                    c.start();
                }
                case 1 -> {
                    log("SIGKILL " + bankName + ", restart");
                    world.banks.get(bank).kill();
                    world.banks.get(bank).start();
                }
                case 2 -> {
                    log("freeze link to " + bankName);
                    link.all(LinkProxy.Fault.HOLD);
                    ReplicaWorld.pause(1_000 + random.nextInt(2_000));
                    link.heal().release();
                }
                case 3 -> {
                    log("garbage and resets from " + bankName);
                    link.on("prepare", LinkProxy.Fault.GARBAGE).on("commit", LinkProxy.Fault.RESET);
                    ReplicaWorld.pause(1_000 + random.nextInt(2_000));
                    link.heal();
                }
                case 4 -> {
                    log("replies from " + bankName + " lost");
                    link.all(LinkProxy.Fault.LOSE_REPLY);
                    ReplicaWorld.pause(1_000 + random.nextInt(2_000));
                    link.heal();
                }
                case 5 -> {
                    log("database connections dropped");
                    world.dbProxy.dropConnections();
                }
                default -> {
                    log("next decision acknowledgement lost");
                    world.dbProxy.loseNextDecisionAck();
                }
            }
        }
    }

    private static void log(String line) {
        System.out.println("soak: " + line);
    }
}
