package dev.verdict.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** Command-line options; every one has a default, so {@code java -jar verdict-bench.jar} runs everything. */
record Options(Duration duration, Duration warmup, List<Workload> workloads, List<Integer> clients, boolean openLoop,
               int recoveryTransactions, boolean profile, Path root, Path workDir, boolean tracing) {

    Options(Duration duration, Duration warmup, List<Workload> workloads, List<Integer> clients, boolean openLoop,
            int recoveryTransactions, boolean profile, Path root, Path workDir) {
        this(duration, warmup, workloads, clients, openLoop, recoveryTransactions, profile, root, workDir, false);
    }

    static final String USAGE = """
            usage: java -jar bench/target/verdict-bench.jar [options]
              --duration 10s          length of each measured run
              --warmup 45s            unmeasured load first, so the JIT compilers have finished
                                      (again before W6, for its second coordinator)
              --workloads W1,W2,W3,W4-1ms,W4-5ms,W6
                                      W6: W1 against two coordinators on one database, each request
                                      to a random one (a second coordinator runs for W6 only)
              --clients 1,8,32        closed-loop concurrencies
              --open-loop true        W1 at 80% of its best closed-loop rate (needs W1)
              --recovery 1000         W5: decided-but-unfinished transactions at the SIGKILL (0 skips W5)
              --profile false         record a JFR profile of the coordinator (profile settings)
              --tracing false         run the coordinator with traces on (quarkus.otel.sdk.disabled=false),
                                      every transaction sampled, exported over OTLP to a loopback sink
                                      that discards them (docs/performance.md, "What traces cost")
              --root .                the Verdict checkout (finds the packaged coordinator)
              --work-dir DIR          logs, databases, profiles (default bench/target/run-<time>)""";

    static Options parse(String[] args) {
        Duration duration = Duration.ofSeconds(10);
        // Measured: at one client the JIT compilers were still busy after 20-30 s of load, so 30 s
        // left no margin and the first measured runs could pay for compiling; 45 s leaves one.
        Duration warmup = Duration.ofSeconds(45);
        List<Workload> workloads = List.of(Workload.values());
        List<Integer> clients = List.of(1, 8, 32);
        boolean openLoop = true;
        int recovery = 1000;
        boolean profile = false;
        boolean tracing = false;
        Path root = Path.of(System.getProperty("verdict.root", "."));
        Path workDir = null;
        for (int i = 0; i < args.length; i++) {
            String key = args[i];
            if (key.equals("--help") || key.equals("-h")) {
                throw new IllegalArgumentException(USAGE);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + key + "\n" + USAGE);
            }
            String v = args[++i];
            switch (key) {
                case "--duration" -> duration = duration(v);
                case "--warmup" -> warmup = duration(v);
                case "--workloads" -> workloads = Arrays.stream(v.split(",")).map(Workload::parse).toList();
                case "--clients" -> clients = Arrays.stream(v.split(",")).map(s -> Integer.parseInt(s.trim())).toList();
                case "--open-loop" -> openLoop = Boolean.parseBoolean(v);
                case "--recovery" -> recovery = Integer.parseInt(v);
                case "--profile" -> profile = Boolean.parseBoolean(v);
                case "--tracing" -> tracing = Boolean.parseBoolean(v);
                case "--root" -> root = Path.of(v);
                case "--work-dir" -> workDir = Path.of(v);
                default -> throw new IllegalArgumentException("unknown option " + key + "\n" + USAGE);
            }
        }
        root = root.toAbsolutePath().normalize();
        if (workDir == null) {
            workDir = root.resolve("bench/target/run-" + System.currentTimeMillis());
        }
        return new Options(duration, warmup, workloads, clients, openLoop, recovery, profile, root, workDir.toAbsolutePath(),
                tracing);
    }

    static Duration duration(String text) {
        String t = text.trim().toLowerCase();
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        if (t.endsWith("s")) {
            return Duration.ofMillis((long) (Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
        }
        if (t.endsWith("m")) {
            return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)) * 60);
        }
        throw new IllegalArgumentException("not a duration (say 500ms, 10s or 2m): " + text);
    }

    Path coordinatorJar() {
        return root.resolve("coordinator/target/quarkus-app/quarkus-run.jar");
    }
}
