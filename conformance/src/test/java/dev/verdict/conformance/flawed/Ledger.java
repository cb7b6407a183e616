package dev.verdict.conformance.flawed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The participant side of docs/protocol.md for an account that work debits by one: one record
 * per transaction id, answered from on every callback; prepare holds, commit applies, rollback
 * releases. Every change is written to a file before it is answered (unless the flaw is
 * {@link Flaw#VOLATILE_VOTES}), so a restarted participant finds its votes. One lock orders
 * everything, as a database row lock would.
 */
final class Ledger {

    enum State { ACTIVE, PREPARED, READ_ONLY, COMMITTED, ROLLED_BACK }

    /** An answer to a callback: 200 with {@code field: value}, or an error status with a problem slug. */
    record Reply(int status, String field, String value, String slug, String detail) {
        static Reply ok(String field, String value) {
            return new Reply(200, field, value, null, null);
        }

        static Reply error(int status, String slug, String detail) {
            return new Reply(status, null, null, slug, detail);
        }
    }

    private static final class Tx {
        State state;
        long amount;
        String vote;
        Instant heard = Instant.now();

        Tx(State state, long amount) {
            this.state = state;
            this.amount = amount;
        }
    }

    private final Flaw flaw;
    private final Path file;
    private final Map<String, Tx> txs = new LinkedHashMap<>();
    private long balance = 1_000;
    private long held;

    Ledger(Flaw flaw, Path file) {
        this.flaw = flaw;
        this.file = file;
        if (flaw != Flaw.VOLATILE_VOTES) {
            load();
        }
    }

    /** Work joins in one step with the record that it joined; refused once prepared or rolled back. */
    synchronized Reply join(String id, long amount) {
        Tx tx = txs.get(id);
        if (tx == null) {
            txs.put(id, new Tx(State.ACTIVE, amount));
        } else if (tx.state == State.ACTIVE) {
            tx.amount += amount;
        } else {
            return Reply.error(409, "transaction-not-active", "Transaction " + id + " is " + tx.state + " here; no work may join it.");
        }
        save();
        return Reply.ok("transactionId", id);
    }

    synchronized Reply prepare(String id) {
        Tx tx = heard(id);
        if (tx == null) {
            if (flaw == Flaw.PREPARE_UNKNOWN_READ_ONLY) {
                return Reply.ok("vote", "READ_ONLY");
            }
            tx = tombstone(id);
        }
        if (tx.state == State.ACTIVE) {
            if (tx.amount == 0) {
                tx.state = State.READ_ONLY;
                tx.vote = "READ_ONLY";
            } else if (tx.amount > balance - held) {
                tx.state = State.ROLLED_BACK;
                tx.vote = "ABORT";
            } else {
                held += tx.amount;
                tx.state = State.PREPARED;
                tx.vote = "PREPARED";
            }
            save();
            return Reply.ok("vote", tx.vote);
        }
        if (flaw == Flaw.PREPARE_NOT_IDEMPOTENT && tx.state == State.PREPARED) {
            return Reply.ok("vote", "READ_ONLY"); // "nothing new to hold"
        }
        return Reply.ok("vote", tx.vote != null ? tx.vote : "ABORT");
    }

    synchronized Reply commit(String id) {
        Tx tx = heard(id);
        boolean neverPrepared = tx == null || tx.vote == null || tx.vote.equals("ABORT"); // a tombstone is one
        if (neverPrepared) {
            if (flaw == Flaw.COMMIT_WITHOUT_PREPARE_COMMITS) {
                return Reply.ok("outcome", "COMMITTED");
            }
            if (flaw == Flaw.TOMBSTONE_COMMIT_ROLLED_BACK && tx != null && tx.state == State.ROLLED_BACK) {
                return Reply.ok("outcome", "ROLLED_BACK");
            }
            return Reply.error(409, "not-prepared", "Transaction " + id + " was never prepared here.");
        }
        if (tx.state == State.PREPARED) {
            settle(tx, State.COMMITTED, flaw == Flaw.COMMIT_NOT_APPLIED ? 0 : tx.amount);
        } else if (flaw == Flaw.COMMIT_APPLIED_TWICE && tx.state == State.COMMITTED) {
            settle(tx, State.COMMITTED, tx.amount);
        }
        return Reply.ok("outcome", tx.state == State.ROLLED_BACK ? "ROLLED_BACK" : "COMMITTED");
    }

    synchronized Reply rollback(String id) {
        Tx tx = heard(id);
        if (tx == null) {
            if (flaw != Flaw.NO_TOMBSTONE_ON_ROLLBACK) {
                tombstone(id);
            }
            return Reply.ok("outcome", "ROLLED_BACK");
        }
        if (flaw == Flaw.ROLLBACK_AFTER_ABORT_REFUSED && "ABORT".equals(tx.vote)) {
            return Reply.error(409, "already-aborted", "Transaction " + id + " voted ABORT here; nothing to roll back.");
        }
        if (tx.state == State.READ_ONLY) {
            settle(tx, State.ROLLED_BACK, 0);
            return Reply.ok("outcome", flaw == Flaw.READ_ONLY_ROLLBACK_COMMITTED ? "COMMITTED" : "ROLLED_BACK");
        }
        if (tx.state == State.PREPARED || tx.state == State.ACTIVE && flaw != Flaw.ROLLBACK_IGNORES_ACTIVE) {
            settle(tx, State.ROLLED_BACK, 0);
        }
        return Reply.ok("outcome", tx.state == State.COMMITTED ? "COMMITTED" : "ROLLED_BACK");
    }

    synchronized Reply commitOnePhase(String id) {
        Tx tx = heard(id);
        if (tx == null) {
            if (flaw == Flaw.ONE_PHASE_UNKNOWN_COMMITS) {
                return Reply.ok("outcome", "COMMITTED");
            }
            tx = tombstone(id);
        }
        boolean repeat = tx.state == State.COMMITTED || tx.state == State.ROLLED_BACK;
        if (tx.state == State.ACTIVE && tx.amount > balance - held) {
            settle(tx, State.ROLLED_BACK, 0);
        } else if (tx.state == State.ACTIVE || tx.state == State.PREPARED) {
            settle(tx, State.COMMITTED, tx.amount);
        }
        String outcome = tx.state == State.COMMITTED ? "COMMITTED" : "ROLLED_BACK";
        return Reply.ok("outcome", repeat && flaw == Flaw.ONE_PHASE_REPEAT_ROLLED_BACK ? "ROLLED_BACK" : outcome);
    }

    /** Ends a joined, prepared or read-only transaction: its hold released, {@code debit} taken from the balance. */
    private void settle(Tx tx, State outcome, long debit) {
        held -= tx.state == State.PREPARED ? tx.amount : 0;
        balance -= debit;
        tx.state = outcome;
        save();
    }

    /** Transactions that have heard nothing since {@code before}: the ones to ask about. */
    synchronized List<String> waiting(Instant before) {
        List<String> ids = new ArrayList<>();
        txs.forEach((id, tx) -> {
            if ((tx.state == State.PREPARED || tx.state == State.ACTIVE) && tx.heard.isBefore(before)) {
                ids.add(id);
            }
        });
        return ids;
    }

    synchronized String observed() {
        return "{\"balance\":" + balance + ",\"held\":" + held + "}";
    }

    /** A verified callback: the coordinator was heard about this id (obligation 6). */
    private Tx heard(String id) {
        Tx tx = txs.get(id);
        if (tx != null) {
            tx.heard = Instant.now();
        }
        return tx;
    }

    private Tx tombstone(String id) {
        Tx tx = new Tx(State.ROLLED_BACK, 0);
        tx.vote = "ABORT";
        txs.put(id, tx);
        save();
        return tx;
    }

    private void save() {
        if (flaw == Flaw.VOLATILE_VOTES) {
            return;
        }
        StringBuilder text = new StringBuilder(balance + " " + held + "\n");
        txs.forEach((id, tx) -> text.append(id).append(' ').append(tx.state).append(' ').append(tx.amount).append(' ')
                .append(tx.vote).append('\n'));
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, text);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void load() {
        if (!Files.exists(file)) {
            return;
        }
        try {
            List<String> lines = Files.readAllLines(file);
            String[] totals = lines.get(0).split(" ");
            balance = Long.parseLong(totals[0]);
            held = Long.parseLong(totals[1]);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(" ");
                Tx tx = new Tx(State.valueOf(f[1]), Long.parseLong(f[2]));
                tx.vote = f[3].equals("null") ? null : f[3];
                txs.put(f[0], tx);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
