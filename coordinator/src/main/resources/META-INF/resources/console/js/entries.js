// History entries (GET /transactions/{id}/history, GET /events) in plain words.

import {decisionWord, duration, words} from './format.js';

const KIND_LABELS = {
  BEGUN: 'Begun', ENLISTED: 'Participant enlisted', STATE_CHANGED: 'State changed',
  BRANCH_CHANGED: 'Branch changed', DELIVERY_FAILED: 'Delivery failed', DELIVERY_DEFERRED: 'Delivery held',
  TAKEN_OVER: 'Taken over', OPERATOR_ACTION: 'Operator action',
  PARTICIPANT_PAUSED: 'Participant paused', PARTICIPANT_RESUMED: 'Participant resumed',
};

export function kindLabel(kind) {
  return KIND_LABELS[kind] || words(kind);
}

/** One line saying what the entry records. */
export function entrySummary(e) {
  const d = e.detail || {};
  const p = e.participant;
  switch (e.kind) {
    case 'BEGUN':
      return `Begun${d.beganBy ? ` by ${d.beganBy}` : ''}${d.timeoutMs ? `, times out after ${duration(d.timeoutMs)}` : ''}`;
    case 'ENLISTED':
      return `${p} enlisted`;
    case 'STATE_CHANGED': {
      const decision = d.outcome ? ` (decision: ${decisionWord(d.outcome)})` : '';
      return `${words(d.from) || '—'} → ${words(d.to)}${decision}${d.reason ? `: ${d.reason}` : ''}`;
    }
    case 'BRANCH_CHANGED':
      return `${p}: ${words(d.from)} → ${words(d.to)}`;
    case 'DELIVERY_FAILED':
      return `${d.message || 'Message'} to ${p} failed${d.attempt ? ` (attempt ${d.attempt})` : ''}${d.error ? `: ${d.error}` : ''}`;
    case 'DELIVERY_DEFERRED':
      return `${d.message || 'Message'} to ${p} held: ${d.reason || 'deliveries to it are paused'}`;
    case 'TAKEN_OVER':
      return `Now driven by ${e.node || 'another node'}${d.reason ? `: ${d.reason}` : ''}`;
    case 'OPERATOR_ACTION':
      return `${d.actor || 'An operator'}: ${words(d.action)}${p ? ` at ${p}` : ''}${d.applied ? ` (applied ${decisionWord(d.applied)})` : ''}`
        + `${d.outcome ? ` (outcome ${words(d.outcome)})` : ''}${d.reason ? ` — “${d.reason}”` : ''}`;
    case 'PARTICIPANT_PAUSED':
      return `${p} paused by ${d.actor || 'an operator'}${d.reason ? ` — “${d.reason}”` : ''}`;
    case 'PARTICIPANT_RESUMED':
      return `${p} resumed by ${d.actor || 'an operator'}${d.reason ? ` — “${d.reason}”` : ''}`;
    default:
      return `${kindLabel(e.kind)}${p ? ` (${p})` : ''}`;
  }
}

/**
 * Consecutive failed deliveries of the same message to the same participant become one row
 * ("failed 12 times"), so a long outage does not bury the rest of the history.
 */
export function groupFailures(entries) {
  const rows = [];
  for (const e of entries) {
    const last = rows[rows.length - 1];
    if (e.kind === 'DELIVERY_FAILED' && last && last.entry.kind === 'DELIVERY_FAILED'
        && last.entry.participant === e.participant && last.entry.detail?.message === e.detail?.message) {
      last.repeats.push(e);
      continue;
    }
    rows.push({entry: e, repeats: []});
  }
  return rows;
}

export function groupSummary(row) {
  if (!row.repeats.length) return entrySummary(row.entry);
  const first = row.entry;
  const last = row.repeats[row.repeats.length - 1];
  const n = row.repeats.length + 1;
  const d = last.detail || {};
  const range = first.detail?.attempt && d.attempt ? ` (attempts ${first.detail.attempt}–${d.attempt})` : '';
  return `${d.message || 'Message'} to ${last.participant} failed ${n} times${range}${d.error ? `; last error: ${d.error}` : ''}`;
}

/** Whether a live entry finishes a transaction (for the overview's rate). */
export function isFinish(e) {
  return e.kind === 'STATE_CHANGED' && ['COMMITTED', 'ROLLED_BACK', 'HEURISTIC'].includes(e.detail?.to);
}
