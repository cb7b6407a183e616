// The operator actions of docs/operator-api.md ("Actions"), offered only where the contract
// allows them, each behind a dialog that states the decision and asks for a reason.

import {h} from './dom.js';
import {api} from './api.js';
import {reasonDialog} from './dialog.js';
import {decisionWord} from './format.js';
import {isOnePhase, waitingBranches} from './waiting.js';

function post(tx, action, body) {
  return api(`/transactions/${encodeURIComponent(tx.id)}/actions/${action}`, {method: 'POST', body});
}

/** The transaction-wide actions that fit its state: [{id, label, run() -> Promise<answer|null>}]. */
export function transactionActions(tx) {
  const actions = [];
  const decided = tx.state === 'COMMITTING' || tx.state === 'ROLLING_BACK';
  if (decided || isOnePhase(tx)) {
    actions.push({id: 'retry', label: 'Retry now', run: () => reasonDialog({
      title: 'Retry deliveries now',
      statement: decided
        ? `The decision is ${decisionWord(tx.outcome)} and will not change. The waiting messages are sent now instead of at the next scheduled attempt.`
        : `The one-phase commit to ${tx.branches[0].participant} is sent again now. Nothing is decided by this.`,
      confirmLabel: 'Retry now',
      submit: (reason) => post(tx, 'retry', {reason}),
    })});
  }
  if (tx.state === 'ACTIVE' || (tx.state === 'PREPARING' && tx.branches.length >= 2)) {
    actions.push({id: 'rollback', label: 'Roll back', danger: true, run: () => reasonDialog({
      title: 'Roll back this transaction',
      statement: 'This transaction is undecided. Rolling it back decides ROLLBACK for every participant, as its client\'s rollback would; the decision cannot be undone.',
      confirmLabel: 'Decide ROLLBACK', danger: true,
      submit: (reason) => post(tx, 'rollback', {reason}),
    })});
  }
  if (isOnePhase(tx)) actions.push({id: 'record-outcome', label: 'Record outcome', run: () => recordOutcome(tx)});
  if (tx.state === 'HEURISTIC' && !tx.acknowledged) {
    actions.push({id: 'acknowledge', label: 'Acknowledge', run: () => reasonDialog({
      title: 'Acknowledge the heuristic outcome',
      statement: `The decision was ${decisionWord(tx.outcome)}, and a participant did otherwise. Acknowledge only once the participants have been reconciled by hand; it then leaves the in-doubt lists (the log keeps it).`,
      confirmLabel: 'Acknowledge',
      submit: (reason) => post(tx, 'acknowledge', {reason}),
    })});
  }
  return actions;
}

/** Whether a branch can be resolved by hand: the transaction is decided and waits on it. */
export function canResolve(tx, branch) {
  return (tx.state === 'COMMITTING' || tx.state === 'ROLLING_BACK')
    && waitingBranches(tx).some((b) => b.participant === branch.participant);
}

export function resolveBranch(tx, participant) {
  const decision = decisionWord(tx.outcome);
  return reasonDialog({
    title: `Resolve ${participant} by hand`,
    statement: `The decision is ${decision} and will not change. Confirm that you applied ${decision} at ${participant} by hand.`,
    confirmLabel: `I applied ${decision} at ${participant}`,
    submit: (reason) => post(tx, 'resolve-branch', {participant, applied: tx.outcome, reason}),
  });
}

function recordOutcome(tx) {
  const participant = tx.branches[0].participant;
  const choice = (value, label) => h('label', {class: 'check'},
    h('input', {type: 'radio', name: 'outcome', value}), label);
  const group = h('fieldset', {class: 'field'},
    h('legend', {}, `What did ${participant} do? (check it there first)`),
    choice('COMMITTED', `It committed: record COMMIT`),
    choice('ROLLED_BACK', `It rolled back: record ROLLBACK`));
  const chosen = () => group.querySelector('input:checked')?.value;
  return reasonDialog({
    title: 'Record the outcome of a one-phase commit',
    statement: `${participant} was asked to commit on its own and has not answered. Record only what you verified at ${participant}: the outcome you record becomes the transaction's and will not change.`,
    fields: [group],
    check: () => (chosen() ? null : `Choose the outcome you verified at ${participant}.`),
    confirmLabel: 'Record outcome',
    submit: (reason) => post(tx, 'record-outcome', {outcome: chosen(), reason}),
  });
}
