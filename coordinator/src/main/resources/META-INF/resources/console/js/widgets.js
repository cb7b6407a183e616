// Small pieces several pages share: state badges, transaction links, tables, "more" buttons.

import {h} from './dom.js';
import {STATES, dateTime, stateLabel} from './format.js';

export function badge(state, {large = false} = {}) {
  const known = STATES.includes(state) ? state : 'other';
  return h('span', {class: `badge s-${known}${large ? ' large' : ''}`, 'data-state': state}, stateLabel(state));
}

/** short: the first 16 characters (time and randomness), enough to tell ids apart on one screen. */
export function txLink(id, {short = false} = {}) {
  return h('a', {class: 'id-link', href: `#/transactions/${encodeURIComponent(id)}`, title: id,
    'data-id': id, 'aria-label': `transaction ${id}`}, short && id.length > 18 ? `${id.slice(0, 16)}…` : id);
}

export function when(instant) {
  return instant ? h('time', {datetime: instant, title: instant}, dateTime(instant)) : '—';
}

/** columns: [{label, cell(row) -> node|string, class?}] */
export function table(columns, rows, emptyText, caption) {
  const head = h('tr', {}, columns.map((c) => h('th', {scope: 'col', class: c.class}, c.label)));
  const body = rows.length
    ? rows.map((r) => h('tr', {}, columns.map((c) => h('td', {class: c.class}, c.cell(r)))))
    : h('tr', {}, h('td', {colspan: columns.length, class: 'empty'}, emptyText));
  return h('div', {class: 'table-wrap'},
    h('table', {}, caption ? h('caption', {class: 'visually-hidden'}, caption) : null, h('thead', {}, head), h('tbody', {}, body)));
}

export function pageHead(title, subtitle) {
  return h('div', {class: 'page-head'}, h('h1', {}, title), subtitle ? h('p', {}, subtitle) : null);
}
