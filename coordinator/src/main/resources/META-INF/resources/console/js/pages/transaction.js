// One transaction: where it stands in one sentence, its facts, its branches, the actions that fit
// its state, and its history. Reloads when an event about it arrives.

import {fill, h, keepFocus, problemNotice} from '../dom.js';
import {api} from '../api.js';
import {ago, dateTime, decisionWord, fromNow, words} from '../format.js';
import {entrySummary, groupFailures, groupSummary, kindLabel} from '../entries.js';
import {keepCurrent} from '../refresh.js';
import {waitingLine, waitingTone} from '../waiting.js';
import {canResolve, resolveBranch, transactionActions} from '../actions.js';
import {badge, table, when} from '../widgets.js';

export function render(main, params, {live}) {
  const id = params.id;
  document.title = `${id.slice(0, 16)}… · Verdict console`;
  const head = h('div', {class: 'tx-title'}, h('h1', {}, id));
  const line = h('p', {class: 'waiting', id: 'waiting-line', 'aria-live': 'polite'}, 'Loading…');
  const problem = h('div');
  const outcome = h('div', {id: 'action-result', 'aria-live': 'polite'});
  const actions = h('div', {class: 'actions-row', id: 'actions'});
  const facts = h('dl', {class: 'facts card'});
  const branches = h('div', {id: 'branches'});
  const history = h('div', {id: 'history'});
  main.append(h('p', {class: 'small'}, h('a', {href: '#/transactions'}, '← Transactions')),
    head, line, problem, outcome, actions, h('h2', {}, 'Facts'), facts,
    h('h2', {}, 'Branches'), branches, h('h2', {}, 'History'), history);

  let tx = null;
  let refresh = async () => {};

  async function act(run) {
    const answer = await run();
    if (!answer) return; // cancelled
    const a = answer.audit;
    outcome.replaceChildren(h('div', {class: 'notice success', role: 'status'},
      `Done: ${words(a?.action || 'action')} recorded in the audit log${a?.id ? ` (entry ${a.id})` : ''}.`));
    if (answer.transaction) draw(answer.transaction);
    await refresh();
  }

  function draw(t) {
    tx = t;
    keepFocus(main, () => redraw(t));
  }

  function redraw(t) {
    fill(head, h('h1', {}, t.id), badge(t.state, {large: true}));
    line.textContent = waitingLine(t);
    line.className = `waiting ${waitingTone(t)}`;
    fill(facts, factList(t));
    fill(branches, branchTable(t, (participant) => act(() => resolveBranch(t, participant))));
    fill(actions, transactionActions(t).map((a) => h('button', {type: 'button', id: `action-${a.id}`,
      class: `button${a.danger ? ' danger' : ' secondary'}`, onclick: () => act(a.run)}, a.label)));
  }

  async function load() {
    try {
      draw(await api(`/transactions/${encodeURIComponent(id)}`));
      problem.replaceChildren();
    } catch (e) {
      problem.replaceChildren(problemNotice(e));
      return;
    }
    try {
      const answer = await api(`/transactions/${encodeURIComponent(id)}/history`);
      keepFocus(history, () => fill(history, timeline(answer)));
    } catch (e) {
      fill(history, problemNotice(e));
    }
  }

  refresh = load;
  const tick = setInterval(() => tx && (line.textContent = waitingLine(tx)), 1000); // "next attempt in 8 s" counts down
  const stop = keepCurrent({live, load, relevant: (entry) => entry.transactionId === id});
  return () => {
    stop();
    clearInterval(tick);
  };
}

function factList(t) {
  const fact = (label, value) => h('div', {}, h('dt', {}, label), h('dd', {}, value ?? '—'));
  return [
    fact('State', badge(t.state)),
    fact('Decision', t.outcome ? decisionWord(t.outcome) : 'not yet decided'),
    fact('Began', when(t.createdAt)),
    t.decidedAt ? fact('Decided', [when(t.decidedAt), h('span', {class: 'muted'}, ` (${ago(t.decidedAt)})`)])
      : fact('Times out', t.expiresAt ? `${dateTime(t.expiresAt)} (${fromNow(t.expiresAt)})` : '—'),
    fact('Finished', t.completedAt ? when(t.completedAt) : 'not yet'),
    t.nextAttemptAt ? fact('Next attempt', `${fromNow(t.nextAttemptAt)}`) : null,
    t.reason ? fact('Reason', t.reason) : null,
    t.presumedAbort ? fact('Presumed abort', 'yes: its node ended before deciding') : null,
  ];
}

function branchTable(t, resolve) {
  return table([
    {label: 'Participant', cell: (b) => h('a', {href: `#/participants`}, b.participant)},
    {label: 'Branch state', cell: (b) => h('span', {class: 'branch-state'}, words(b.state))},
    {label: 'Attempts', class: 'num', cell: (b) => String(b.attempts ?? 0)},
    {label: 'Last error', class: 'error-text', cell: (b) => b.lastError || ''},
    {label: 'Action', cell: (b) => (canResolve(t, b)
      ? h('button', {type: 'button', class: 'button small secondary', 'data-resolve': b.participant, id: `resolve-${b.participant}`,
        onclick: () => resolve(b.participant)}, 'Resolve by hand…')
      : '')},
  ], t.branches, 'No participant has enlisted.');
}

function timeline(answer) {
  const rows = groupFailures(answer.entries || []);
  const items = rows.map((row) => {
    const e = row.entry;
    const last = row.repeats[row.repeats.length - 1] || e;
    return h('li', {class: `k-${e.kind}`},
      h('time', {datetime: e.at, title: e.at}, dateTime(last.at)),
      h('div', {class: 'what'},
        h('div', {}, h('span', {class: 'kind'}, kindLabel(e.kind)), ' ', row.repeats.length ? groupSummary(row) : entrySummary(e)),
        h('div', {class: 'meta'}, `node ${e.node || '—'}${row.repeats.length ? `, first at ${dateTime(e.at)}` : ''}`)));
  });
  return items.length ? h('div', {class: 'card flush'}, h('ol', {class: 'timeline'}, items))
    : h('p', {class: 'muted'}, 'No history recorded for this transaction (history is kept for people and may lag a moment).');
}
