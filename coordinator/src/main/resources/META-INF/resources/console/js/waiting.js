// One sentence that says where a transaction stands and what it waits for, from its view
// (GET /transactions/{id}) alone, e.g. "Decided COMMIT 4 min ago; waiting for bank-b to
// acknowledge — 12 attempts, last error: Connection refused; next attempt in 8 s."

import {ago, decisionWord, duration, fromNow, words} from './format.js';

/** Branch states after which a participant needs no further message for this transaction. */
const SETTLED = new Set(['READ_ONLY', 'ABORTED', 'COMMITTED', 'ROLLED_BACK', 'RESOLVED',
  'HEURISTIC_COMMIT', 'HEURISTIC_ROLLBACK', 'HEURISTIC_MIXED']);

/** The branches a decided transaction still waits on (those that have not answered phase 2). */
export function waitingBranches(tx) {
  if (tx.state === 'COMMITTING') return tx.branches.filter((b) => b.state === 'PREPARED');
  if (tx.state === 'ROLLING_BACK') return tx.branches.filter((b) => !SETTLED.has(b.state));
  if (tx.state === 'PREPARING') return tx.branches.filter((b) => b.state === 'ENLISTED');
  return [];
}

export function isOnePhase(tx) {
  return tx.state === 'PREPARING' && tx.branches.length === 1;
}

/** "bank-a", "bank-a and bank-b", "bank-a, bank-b and bank-c" */
function names(branches) {
  const n = branches.map((b) => b.participant);
  return n.length <= 1 ? n.join('') : `${n.slice(0, -1).join(', ')} and ${n[n.length - 1]}`;
}

/** "— 12 attempts, last error: Connection refused" for the branch that has tried longest. */
function attempts(branches) {
  const worst = [...branches].sort((a, b) => (b.attempts || 0) - (a.attempts || 0))[0];
  if (!worst || !worst.attempts) return '';
  const who = branches.length > 1 ? ` at ${worst.participant}` : '';
  const n = `${worst.attempts} attempt${worst.attempts === 1 ? '' : 's'}${who}`;
  return worst.lastError ? ` — ${n}, last error: ${worst.lastError}` : ` — ${n}`;
}

function nextAttempt(tx, now) {
  if (!tx.nextAttemptAt) return '';
  const when = fromNow(tx.nextAttemptAt, now);
  return when === 'now' ? '; next attempt due now' : `; next attempt ${when}`;
}

export function waitingLine(tx, now = Date.now()) {
  const waiting = waitingBranches(tx);
  switch (tx.state) {
    case 'ACTIVE': {
      const n = tx.branches.length;
      return `Begun ${ago(tx.createdAt, now)} with ${n} participant${n === 1 ? '' : 's'}; `
        + `waiting for its client to commit or roll back — times out ${fromNow(tx.expiresAt, now)}.`;
    }
    case 'PREPARING':
      if (isOnePhase(tx)) {
        return `Commit requested; one-phase commit sent to ${tx.branches[0].participant}, waiting for its answer`
          + `${attempts(tx.branches)}. Undecided: if it cannot answer, verify its outcome there and record it.`;
      }
      return `Preparing: waiting for ${waiting.length ? names(waiting) : 'the last votes'} to vote${attempts(waiting)}.`
        + ' Undecided: nothing is committed yet.';
    case 'COMMITTING':
    case 'ROLLING_BACK': {
      const decided = `Decided ${decisionWord(tx.outcome)} ${ago(tx.decidedAt, now)}`;
      if (!waiting.length) return `${decided}; finishing.`;
      return `${decided}; waiting for ${names(waiting)} to acknowledge${attempts(waiting)}${nextAttempt(tx, now)}.`;
    }
    case 'COMMITTED':
      return `Committed ${ago(tx.completedAt || tx.decidedAt, now)}: every participant has applied the decision.`;
    case 'ROLLED_BACK': {
      const why = tx.reason ? ` Reason: ${tx.reason}.` : '';
      const presumed = tx.presumedAbort ? ' (presumed abort: its node ended before deciding)' : '';
      return `Rolled back ${ago(tx.completedAt || tx.decidedAt, now)}${presumed}.${why}`;
    }
    case 'HEURISTIC': {
      const against = tx.branches.filter((b) => b.state.startsWith('HEURISTIC'))
        .map((b) => `${b.participant} reported ${words(b.state)}`).join('; ');
      const done = tx.acknowledged
        ? ` Acknowledged by ${tx.acknowledged.by} ${ago(tx.acknowledged.at, now)}: “${tx.acknowledged.reason}”.`
        : ' Needs a person: reconcile the participants, then acknowledge it here.';
      return `Finished against the decision ${decisionWord(tx.outcome)}${against ? `: ${against}` : ''}.${done}`;
    }
    default:
      return `State ${words(tx.state)} since ${duration(now - Date.parse(tx.createdAt))}.`;
  }
}

/** The tone of the line: plain, in doubt, needing a person, or done. */
export function waitingTone(tx) {
  if (tx.state === 'HEURISTIC') return 'heuristic';
  if (tx.state === 'COMMITTING' || tx.state === 'ROLLING_BACK') return 'in-doubt';
  if (tx.state === 'COMMITTED' || tx.state === 'ROLLED_BACK') return 'done';
  return '';
}
