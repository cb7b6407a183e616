package dev.verdict.bank;

import dev.verdict.participant.kit.KitProblem;
import dev.verdict.participant.kit.LocalResource;
import dev.verdict.protocol.Vote;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.util.List;

/**
 * The bank's part in a transfer. Work is recorded at once; prepare reserves debits as holds (and
 * votes ABORT when funds are short); commit moves the money; rollback releases the holds. The
 * participant kit calls these inside its own local transaction, at most once each per transaction.
 */
@ApplicationScoped
public class BankLedger implements LocalResource {

    @Inject
    EntityManager em;

    @Transactional
    public Account open(String id, long balance) {
        if (em.find(Account.class, id) != null) {
            throw new KitProblem(409, "account-exists", "Account '" + id + "' already exists.");
        }
        Account a = new Account();
        a.id = id;
        a.balance = balance;
        em.persist(a);
        return a;
    }

    @Transactional
    public void record(String txId, String accountId, long amount) {
        if (em.find(Account.class, accountId) == null) {
            throw new KitProblem(404, "account-not-found", "No account '" + accountId + "' at this bank.");
        }
        BankOperation op = new BankOperation();
        op.txId = txId;
        op.accountId = accountId;
        op.amount = amount;
        em.persist(op);
    }

    @Override
    public Vote prepare(String txId) {
        List<BankOperation> ops = operations(txId);
        if (ops.isEmpty()) {
            return Vote.READ_ONLY;
        }
        // Check every debit before holding any, so an ABORT leaves no hold behind.
        for (BankOperation op : ops) {
            Account a = lock(op.accountId);
            if (op.amount < 0 && a.balance - a.held < -op.amount + pendingDebits(ops, op)) {
                return Vote.ABORT;
            }
        }
        for (BankOperation op : ops) {
            if (op.amount < 0) {
                lock(op.accountId).held += -op.amount;
            }
        }
        return Vote.PREPARED;
    }

    @Override
    public void commit(String txId) {
        for (BankOperation op : operations(txId)) {
            Account a = lock(op.accountId);
            a.balance += op.amount;
            if (op.amount < 0) {
                a.held -= -op.amount;
            }
        }
    }

    @Override
    public void rollback(String txId, boolean prepared) {
        if (!prepared) {
            return; // nothing was held; the recorded operations simply never apply
        }
        for (BankOperation op : operations(txId)) {
            if (op.amount < 0) {
                lock(op.accountId).held -= -op.amount;
            }
        }
    }

    /** Other debits of the same transaction against the same account, which share its funds. */
    private static long pendingDebits(List<BankOperation> ops, BankOperation self) {
        return ops.stream().filter(o -> o != self && o.amount < 0 && o.accountId.equals(self.accountId))
                .mapToLong(o -> -o.amount).sum();
    }

    private List<BankOperation> operations(String txId) {
        // Ordered by account so that concurrent transactions lock accounts in the same order.
        return em.createQuery("from BankOperation where txId = :tx order by accountId, id", BankOperation.class)
                .setParameter("tx", txId).getResultList();
    }

    private Account lock(String id) {
        return em.find(Account.class, id, LockModeType.PESSIMISTIC_WRITE);
    }
}
