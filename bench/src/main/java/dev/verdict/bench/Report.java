package dev.verdict.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The figures of one benchmark run, printed as Markdown tables (docs/performance.md quotes them). */
final class Report {

    /**
     * One measurement: Verdict and the bound under the same load, back to back.
     *
     * @param perRun coordinator counters over the Verdict run (divide by finished transactions)
     */
    record Row(Workload workload, String mode, RunResult verdict, RunResult bound, CoordinatorCounters perRun,
               Rig.Cpu verdictCpu, Rig.Cpu boundCpu) {

        CoordinatorCounters perTransaction() {
            return perRun.per(verdict.finished());
        }

        double ratio() {
            return verdict.throughput() / bound.throughput();
        }

        /** CPU time of the coordinator processes per finished Verdict transaction, in µs. */
        double coordinatorMicros() {
            return verdictCpu.coordinator().toNanos() / 1000.0 / Math.max(1, verdict.finished());
        }
    }

    final Options options;
    final List<Row> rows = new ArrayList<>();
    String environment = "";
    RecoveryScenario.Result recovery;

    Report(Options options) {
        this.options = options;
    }

    void print(PrintStream out) {
        out.println();
        out.printf("## Verdict benchmark: %d s per run, %d cores, %s%s%n%n", options.duration().toSeconds(),
                Runtime.getRuntime().availableProcessors(), environment,
                options.tracing() ? "; traces on (every transaction, exported over OTLP to a sink that discards)" : "");
        out.println("Latency is per whole transaction as its client sees it (begin, enlist each participant, commit;");
        out.println("for the bound: prepare each, one synchronous insert, commit each), in milliseconds.");
        out.println();
        out.println("| Workload | Load | Verdict tx/s | Bound tx/s | Ratio | p50 | p90 | p99 | p99.9 | Bound p50 | Bound p99 | Rolled back | Errors |");
        out.println("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (Row r : rows) {
            RunResult v = r.verdict();
            out.printf("| %s | %s | %,.0f | %,.0f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %,d | %,d |%n",
                    r.workload().label(), r.mode(), v.throughput(), r.bound().throughput(), r.ratio(),
                    v.percentileMillis(50), v.percentileMillis(90), v.percentileMillis(99), v.percentileMillis(99.9),
                    r.bound().percentileMillis(50), r.bound().percentileMillis(99), v.rolledBack, v.errors + r.bound().errors);
        }
        out.println();
        out.println("Costs per finished transaction, counted by the coordinator; CPU per transaction of each process, in µs.");
        out.println();
        out.println("| Workload | Load | Forced writes | Lazy writes | SQL statements | DB transactions | Participant calls | CPU coordinator | CPU stubs | CPU PostgreSQL | CPU generator | Bound: stubs | Bound: PostgreSQL | Bound: generator |");
        out.println("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (Row r : rows) {
            CoordinatorCounters c = r.perTransaction();
            long n = r.verdict().finished();
            long b = r.bound().finished();
            out.printf("| %s | %s | %.3f | %.2f | %.2f | %.2f | %.2f | %s | %s | %s | %s | %s | %s | %s |%n",
                    r.workload().label(), r.mode(), c.forcedWrites(), c.lazyWrites(), c.statements(), c.dbTransactions(),
                    c.participantCalls(), micros(r.verdictCpu().coordinator(), n), micros(r.verdictCpu().stubs(), n),
                    micros(r.verdictCpu().postgres(), n), micros(r.verdictCpu().generator(), n),
                    micros(r.boundCpu().stubs(), b), micros(r.boundCpu().postgres(), b), micros(r.boundCpu().generator(), b));
        }
        printForwarding(out);
        for (Row r : rows) {
            List<String> errors = new ArrayList<>(r.verdict().sampleErrors);
            errors.addAll(r.bound().sampleErrors);
            if (!errors.isEmpty()) {
                out.printf("%nErrors in %s %s (first few): %s%n", r.workload().label(), r.mode(), errors);
            }
        }
        if (recovery != null) {
            out.println();
            out.printf("W5 recovery: %,d transactions decided COMMITTED (%,d unfinished at the SIGKILL); the restarted"
                            + " coordinator was ready %.2f s after launch and had completed all of them %.2f s after launch"
                            + " (%,d commit calls delivered).%n",
                    recovery.transactions(), recovery.unfinishedAtKill(), recovery.readyAfterSeconds(),
                    recovery.completeAfterSeconds(), recovery.commitsDelivered());
        }
    }

    /** W6's own figures: how many requests were forwarded, and what forwarding one costs. */
    private void printForwarding(PrintStream out) {
        List<Row> replicated = rows.stream().filter(r -> r.workload().coordinators > 1).toList();
        if (replicated.isEmpty()) {
            return;
        }
        out.println();
        out.println("W6: two coordinators; a request that reaches the one not holding its transaction is forwarded to the");
        out.println("other. Per finished transaction, CPU in µs. Cost of a forwarded request = (W6's coordinator CPU, both");
        out.println("processes, minus W1's at the same load in this run) / forwarded requests; n/a without that W1 row.");
        out.println();
        out.println("| Workload | Load | Forwarded requests | CPU coordinators | W1: CPU coordinator | Cost of a forwarded request (µs) |");
        out.println("| --- | --- | ---: | ---: | ---: | ---: |");
        for (Row r : replicated) {
            double forwarded = r.perTransaction().forwardedRequests();
            Optional<Row> w1 = rows.stream().filter(o -> o.workload() == Workload.W1 && o.mode().equals(r.mode())).findFirst();
            String cost = w1.filter(o -> forwarded > 0 && r.verdict().finished() > 0 && o.verdict().finished() > 0)
                    .map(o -> String.format("%.0f", (r.coordinatorMicros() - o.coordinatorMicros()) / forwarded))
                    .orElse("n/a");
            out.printf("| %s | %s | %.2f | %s | %s | %s |%n", r.workload().label(), r.mode(), forwarded,
                    micros(r.verdictCpu().coordinator(), r.verdict().finished()),
                    w1.map(o -> micros(o.verdictCpu().coordinator(), o.verdict().finished())).orElse("n/a"), cost);
        }
    }

    private static String micros(Duration cpu, long transactions) {
        return transactions == 0 ? "-" : String.format("%.0f", cpu.toNanos() / 1000.0 / transactions);
    }
}
