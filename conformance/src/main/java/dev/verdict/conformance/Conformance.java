package dev.verdict.conformance;

import dev.verdict.conformance.Check.Result;
import dev.verdict.conformance.Check.Skipped;
import dev.verdict.conformance.Check.Verdict;
import dev.verdict.conformance.Check.Violation;
import dev.verdict.conformance.checks.DurableVoteCheck;
import dev.verdict.conformance.checks.IdempotenceChecks;
import dev.verdict.conformance.checks.JoinChecks;
import dev.verdict.conformance.checks.OutcomeQueryCheck;
import dev.verdict.conformance.checks.ProtocolErrorChecks;
import dev.verdict.conformance.checks.SignatureChecks;
import dev.verdict.conformance.checks.UnknownIdChecks;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code java -jar verdict-conformance.jar --participant NAME --work '...'}: plays the coordinator
 * against a participant written in any language and prints one line per obligation of
 * docs/protocol.md. Exit status 0 when nothing failed, 1 when a check failed, 2 on bad usage or
 * when the participant never registered.
 */
public final class Conformance {

    private Conformance() {}

    /** Every check, in the order they run: signatures early (a participant that accepts anything passes nothing after), problem-json last. */
    public static List<Check> checks() {
        List<Check> all = new ArrayList<>();
        all.addAll(JoinChecks.all());
        all.addAll(SignatureChecks.all());
        all.addAll(IdempotenceChecks.all());
        all.addAll(UnknownIdChecks.all());
        all.addAll(ProtocolErrorChecks.all());
        all.add(OutcomeQueryCheck.check());
        all.add(DurableVoteCheck.check());
        all.add(ProtocolErrorChecks.problemJson());
        return all;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    public static int run(String[] args, PrintStream out) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            out.println("verdict-conformance: " + e.getMessage());
            out.print(Options.USAGE);
            return 2;
        }
        if (options.help) {
            out.print(Options.USAGE);
            out.println();
            out.println("Checks:");
            checks().forEach(c -> out.printf("  %-24s %s%n", c.name(), c.obligation()));
            return 0;
        }
        try {
            List<Result> results = execute(options, out);
            return results.stream().anyMatch(r -> r.verdict() == Verdict.FAIL) ? 1 : 0;
        } catch (NotRegistered | IllegalArgumentException e) {
            out.println("verdict-conformance: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            out.println("verdict-conformance: " + e);
            return 2;
        }
    }

    /** The participant never registered (correctly) with the suite's coordinator. */
    public static final class NotRegistered extends Exception {
        NotRegistered(String message) {
            super(message);
        }
    }

    /** Starts the coordinator, waits for the participant to register, runs the checks, prints each line and a summary. */
    public static List<Result> execute(Options options, PrintStream out) throws Exception {
        List<Check> selected = checks().stream().filter(c -> options.only.isEmpty() || options.only.contains(c.name())).toList();
        for (String name : options.only) {
            if (checks().stream().noneMatch(c -> c.name().equals(name))) {
                throw new IllegalArgumentException("--only: no check named '" + name + "' (--help lists them)");
            }
        }
        try (FakeCoordinator coordinator = new FakeCoordinator(options.port)) {
            out.println("Coordinator for the conformance suite at " + coordinator.url() + "; waiting up to "
                    + options.registerWithin.toSeconds() + " s for '" + options.participant + "' to register there.");
            Session session = new Session(options, coordinator, new Participant(options));
            awaitRegistration(session);
            var r = session.participant.registration();
            out.println("'" + r.name() + "' registered: callbacks at " + r.callbackUrl() + ", a secret of "
                    + r.secret().length + " bytes.");
            List<Result> results = new ArrayList<>();
            for (Check check : selected) {
                Result result = run(check, session);
                out.println(result.line());
                out.flush();
                results.add(result);
            }
            out.printf("%d passed, %d failed, %d skipped%n", count(results, Verdict.PASS), count(results, Verdict.FAIL),
                    count(results, Verdict.SKIP));
            return results;
        }
    }

    private static void awaitRegistration(Session s) throws Exception {
        String name = s.options.participant;
        boolean registered = s.coordinator.await(() -> s.coordinator.registrations().stream().anyMatch(r -> r.name().equals(name)),
                s.options.registerWithin);
        if (!registered) {
            List<String> refused = s.coordinator.refusedRegistrations();
            List<String> others = s.coordinator.registrations().stream().map(FakeCoordinator.Registration::name).distinct().toList();
            throw new NotRegistered("'" + name + "' did not register within " + s.options.registerWithin.toSeconds() + " s"
                    + (refused.isEmpty() ? "" : "; refused: " + refused) + (others.isEmpty() ? "" : "; registered instead: " + others)
                    + ". Start it with its coordinator URL set to " + s.coordinator.url());
        }
        s.reRegistered();
    }

    private static Result run(Check check, Session session) {
        try {
            check.body().run(session);
            return new Result(check.name(), Verdict.PASS, check.obligation());
        } catch (Violation v) {
            return new Result(check.name(), Verdict.FAIL, v.getMessage());
        } catch (Skipped s) {
            return new Result(check.name(), Verdict.SKIP, s.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(check.name(), Verdict.FAIL, "interrupted");
        } catch (Exception e) {
            return new Result(check.name(), Verdict.FAIL, "the check could not run: " + e);
        }
    }

    private static long count(List<Result> results, Verdict verdict) {
        return results.stream().filter(r -> r.verdict() == verdict).count();
    }
}
