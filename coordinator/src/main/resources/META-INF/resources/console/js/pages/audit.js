// The audit log (GET /audit): every operator action, newest first, with who did it and why.
// Filters live in the address like the transaction search; "More" follows nextCursor.

import {fill, h, problemNotice} from '../dom.js';
import {api, compact} from '../api.js';
import {words} from '../format.js';
import {pageHead, table, txLink, when} from '../widgets.js';

const ACTIONS = ['RETRY', 'ROLLBACK', 'RESOLVE_BRANCH', 'RECORD_OUTCOME', 'ACKNOWLEDGE', 'PAUSE', 'RESUME', 'RETRY_PARTICIPANT'];
const TEXT_FILTERS = ['actor', 'transaction', 'participant'];
const TIME_FILTERS = ['since', 'until'];

export function render(main, params, {navigate}) {
  document.title = 'Audit log · Verdict console';
  const q = params.query;
  const results = h('div', {id: 'audit-results'}, h('p', {class: 'muted'}, 'Loading…'));
  main.append(pageHead('Audit log', 'Every operator action, newest first. Append-only: the database refuses to change or delete an entry.'),
    filterForm(q, navigate), results);

  const query = compact({...Object.fromEntries([...TEXT_FILTERS, ...TIME_FILTERS, 'action'].map((k) => [k, q.get(k)])), limit: 50});
  const controller = new AbortController();
  const rows = [];

  async function page(cursor) {
    const answer = await api('/audit', {query: compact({...query, cursor}), signal: controller.signal});
    rows.push(...answer.items);
    fill(results, auditTable(rows), answer.nextCursor
      ? h('div', {class: 'more'}, h('button', {type: 'button', class: 'button secondary', id: 'more', onclick: (event) => {
        event.target.disabled = true;
        page(answer.nextCursor).catch((e) => results.append(problemNotice(e)));
      }}, 'More'))
      : null);
  }

  page().catch((e) => {
    if (e.name !== 'AbortError') results.replaceChildren(problemNotice(e));
  });
  return () => controller.abort();
}

/** datetime-local (the operator's local time) <-> the ISO-8601 instants the API takes. */
function toInstant(local) {
  return local ? new Date(local).toISOString() : '';
}

function toLocal(instant) {
  if (!instant) return '';
  const d = new Date(instant);
  return Number.isNaN(d.getTime()) ? '' : new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
}

function filterForm(q, navigate) {
  const field = (id, label, control) => h('div', {class: 'field'}, h('label', {for: id}, label), control);
  const form = h('form', {class: 'card filters', 'aria-label': 'Audit filters', onsubmit: (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const query = new URLSearchParams();
    for (const k of [...TEXT_FILTERS, 'action']) {
      const v = String(data.get(k) || '').trim();
      if (v) query.set(k, v);
    }
    for (const k of TIME_FILTERS) {
      const v = toInstant(String(data.get(k) || ''));
      if (v) query.set(k, v);
    }
    navigate(`#/audit${query.toString() ? `?${query}` : ''}`);
  }},
  field('actor', 'Actor', h('input', {id: 'actor', name: 'actor', value: q.get('actor') || '', size: 10, placeholder: 'key:ops'})),
  field('action', 'Action', h('select', {id: 'action', name: 'action'}, h('option', {value: ''}, 'Any'),
    ACTIONS.map((a) => h('option', {value: a, selected: a === q.get('action')}, words(a))))),
  field('transaction', 'Transaction', h('input', {id: 'transaction', name: 'transaction', value: q.get('transaction') || '', size: 14})),
  field('participant', 'Participant', h('input', {id: 'participant', name: 'participant', value: q.get('participant') || '', size: 9})),
  field('since', 'Since', h('input', {id: 'since', name: 'since', type: 'datetime-local', value: toLocal(q.get('since'))})),
  field('until', 'Until', h('input', {id: 'until', name: 'until', type: 'datetime-local', value: toLocal(q.get('until'))})),
  h('div', {class: 'actions-row'}, h('button', {type: 'submit', class: 'button'}, 'Filter'),
    h('a', {href: '#/audit', class: 'button quiet'}, 'Clear')));
  return form;
}

function detailText(detail) {
  if (!detail || !Object.keys(detail).length) return '';
  return Object.entries(detail).map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : v}`).join(', ');
}

function auditTable(rows) {
  return table([
    {label: 'When', cell: (a) => when(a.at)},
    {label: 'Actor', cell: (a) => h('span', {class: 'mono'}, a.actor)},
    {label: 'Action', cell: (a) => h('strong', {}, words(a.action))},
    {label: 'Transaction', cell: (a) => (a.transactionId ? txLink(a.transactionId, {short: true}) : '—')},
    {label: 'Participant', cell: (a) => a.participant || '—'},
    {label: 'Reason', class: 'wrap', cell: (a) => a.reason},
    {label: 'Detail', class: 'hide-narrow wrap', cell: (a) => detailText(a.detail)},
    {label: 'Node', class: 'hide-narrow', cell: (a) => a.node || '—'},
  ], rows, 'No operator action matches these filters.');
}
