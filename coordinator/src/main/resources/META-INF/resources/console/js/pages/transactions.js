// Transactions: GET /transactions with its filters, kept in the address (#/transactions?state=…)
// so a search can be shared and reloaded; "More" follows nextCursor.

import {fill, h, problemNotice} from '../dom.js';
import {api, compact} from '../api.js';
import {STATES, ago, stateLabel, words} from '../format.js';
import {waitingBranches} from '../waiting.js';
import {badge, pageHead, table, txLink, when} from '../widgets.js';

const PAGE_SIZE = 50;

export function render(main, params, {navigate}) {
  document.title = 'Transactions · Verdict console';
  const q = params.query;
  const states = new Set(q.getAll('state').flatMap((s) => s.split(',')).filter(Boolean));
  const form = filterForm(q, states, navigate);
  const results = h('div', {id: 'results'}, h('p', {class: 'muted'}, 'Searching…'));
  main.append(pageHead('Transactions', 'Search every node and the log. Undecided transactions are found while a live node holds them.'),
    form, results);

  const query = compact({
    state: [...states].join(','), inDoubt: q.get('inDoubt') === 'true' ? 'true' : '',
    participant: q.get('participant'), olderThan: q.get('olderThan'), outcome: q.get('outcome'),
    order: q.get('order'), limit: q.get('limit') || PAGE_SIZE, // ?limit= in the address sets the page size
  });
  const controller = new AbortController();
  const rows = [];

  async function page(cursor) {
    const answer = await api('/transactions', {query: compact({...query, cursor}), signal: controller.signal});
    rows.push(...answer.items);
    const more = answer.nextCursor
      ? h('div', {class: 'more'}, h('button', {type: 'button', class: 'button secondary', id: 'more', onclick: async (event) => {
        event.target.disabled = true;
        try {
          await page(answer.nextCursor);
        } catch (e) {
          results.append(problemNotice(e));
        }
      }}, 'More'))
      : null;
    const silent = (answer.nodes || []).filter((n) => !n.answered);
    fill(results, silent.length ? h('div', {class: 'notice warn'}, `${silent.map((n) => n.name).join(', ')} did not answer`
      + `: undecided transactions only ${silent.length === 1 ? 'it holds' : 'they hold'} are missing from this list.`) : null,
    h('p', {class: 'muted small', id: 'result-count'},
      `${rows.length} transaction${rows.length === 1 ? '' : 's'}${answer.nextCursor ? ' so far' : ''}`),
    resultTable(rows), more);
  }

  page().catch((e) => {
    if (e.name !== 'AbortError') results.replaceChildren(problemNotice(e));
  });
  return () => controller.abort();
}

function filterForm(q, states, navigate) {
  const field = (label, control, hint) => h('div', {class: 'field'}, h('label', {for: control.id}, label), control,
    hint ? h('div', {class: 'hint'}, hint) : null);
  const select = (id, value, options) => h('select', {id, name: id},
    options.map(([v, label]) => h('option', {value: v, selected: v === (value || '')}, label)));

  const form = h('form', {class: 'card filters', 'aria-label': 'Search filters', onsubmit: (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const query = new URLSearchParams();
    const chosen = data.getAll('state');
    if (chosen.length) query.set('state', chosen.join(','));
    for (const name of ['participant', 'olderThan', 'outcome', 'order']) {
      const v = String(data.get(name) || '').trim();
      if (v) query.set(name, v);
    }
    if (data.get('inDoubt')) query.set('inDoubt', 'true');
    if (q.get('limit')) query.set('limit', q.get('limit'));
    navigate(`#/transactions${query.toString() ? `?${query}` : ''}`);
  }},
  h('fieldset', {}, h('legend', {}, 'State'),
    STATES.map((s) => h('label', {class: 'check'},
      h('input', {type: 'checkbox', name: 'state', value: s, checked: states.has(s)}), stateLabel(s)))),
  h('label', {class: 'check'}, h('input', {type: 'checkbox', name: 'inDoubt', id: 'inDoubt', value: 'true', checked: q.get('inDoubt') === 'true'}), 'In doubt only'),
  field('Participant', h('input', {id: 'participant', name: 'participant', value: q.get('participant') || '', size: 14, placeholder: 'bank-b'})),
  field('Older than', h('input', {id: 'olderThan', name: 'olderThan', value: q.get('olderThan') || '', size: 8, placeholder: '5m'}), '30s, 5m, 2h, 1d'),
  field('Outcome', select('outcome', q.get('outcome'), [['', 'Any'], ['COMMITTED', 'Committed'], ['ROLLED_BACK', 'Rolled back']])),
  field('Order', select('order', q.get('order'), [['', 'Newest first'], ['oldest', 'Oldest first']])),
  h('div', {class: 'actions-row'},
    h('button', {type: 'submit', class: 'button'}, 'Search'),
    h('a', {href: '#/transactions', class: 'button quiet'}, 'Clear')));
  return form;
}

function resultTable(rows) {
  return table([
    {label: 'Transaction', cell: (t) => txLink(t.id)},
    {label: 'State', cell: (t) => badge(t.state)},
    {label: 'Participants', class: 'hide-narrow', cell: (t) => t.branches.map((b) => `${b.participant} (${words(b.state)})`).join(', ') || '—'},
    {label: 'Waiting for', cell: (t) => waitingBranches(t).map((b) => b.participant).join(', ') || '—'},
    {label: 'Began', class: 'hide-narrow', cell: (t) => when(t.createdAt)},
    {label: 'Decided', cell: (t) => (t.decidedAt ? ago(t.decidedAt) : '—')},
  ], rows, 'No transaction matches these filters.');
}
