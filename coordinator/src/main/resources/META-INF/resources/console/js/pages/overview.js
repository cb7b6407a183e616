// Overview: what is where across every live node (GET /status), kept current by the event stream;
// the transactions in doubt, the nodes, the rate of finished transactions and the latest events.

import {fill, h, keepFocus, problemNotice} from '../dom.js';
import {api} from '../api.js';
import {ago, count, duration, time} from '../format.js';
import {entrySummary, isFinish, kindLabel} from '../entries.js';
import {keepCurrent} from '../refresh.js';
import {waitingBranches} from '../waiting.js';
import {badge, pageHead, table, txLink} from '../widgets.js';

const RATE_WINDOW_MS = 60_000;
const FEED_SIZE = 30;

export function render(main, params, {live}) {
  document.title = 'Overview · Verdict console';
  const asOf = h('p', {class: 'muted small'}, 'Loading…');
  const problem = h('div');
  const metrics = h('div', {class: 'cards', id: 'metrics'});
  const inDoubt = h('div', {id: 'in-doubt'});
  const byState = h('div', {id: 'by-state'});
  const nodes = h('div', {id: 'nodes'});
  const feed = h('ol', {class: 'feed', id: 'feed', 'aria-label': 'Latest events, newest first'});
  const feedCard = h('div', {class: 'card flush'},
    h('p', {class: 'muted small feed-empty', id: 'feed-empty'}, 'Events appear here as they are recorded.'), feed);
  main.append(
    h('div', {class: 'page-head'}, h('h1', {}, 'Overview'), asOf),
    problem, metrics,
    h('div', {class: 'grid-2'},
      h('section', {}, h('h2', {}, 'In doubt'), inDoubt, h('h2', {}, 'Unfinished by state'), byState),
      h('section', {}, h('h2', {}, 'Nodes'), nodes, h('h2', {}, 'Activity'), feedCard)));

  const rate = finishRate(live);
  let status = null;
  const draw = () => status && fill(metrics, metricCards(status, rate));

  async function load() {
    try {
      status = await api('/status');
      problem.replaceChildren();
      asOf.textContent = `All live nodes, as of ${time(new Date().toISOString())}`;
      keepFocus(main, () => {
        draw();
        fill(inDoubt, inDoubtTable(status.inDoubt, status.inDoubtCount));
        fill(byState, stateTable(status.counts));
        fill(nodes, nodeTable(status.nodes));
      });
    } catch (e) {
      problem.replaceChildren(problemNotice(e));
    }
  }

  // Entries are drawn in batches (a busy cluster records thousands a second): the newest FEED_SIZE.
  let arrived = [];
  const drawFeed = setInterval(() => {
    if (!arrived.length) return;
    feedCard.querySelector('#feed-empty')?.remove();
    feed.prepend(...arrived.slice(-FEED_SIZE).reverse().map(feedItem));
    arrived = [];
    while (feed.children.length > FEED_SIZE) feed.lastChild.remove();
  }, 250);
  const unfeed = live.subscribe((entry) => {
    rate.add(entry);
    arrived.push(entry);
    if (arrived.length > FEED_SIZE * 4) arrived = arrived.slice(-FEED_SIZE);
  });
  const tick = setInterval(draw, 1000); // the rate's window moves on even when nothing happens
  const stop = keepCurrent({live, load});
  return () => {
    stop();
    unfeed();
    clearInterval(tick);
    clearInterval(drawFeed);
  };
}

/** Finished transactions per second over the last minute, counted from the event stream in 1 s buckets. */
function finishRate(live) {
  const buckets = []; // [second, finished in it], oldest first
  let since = null;
  return {
    add(entry) {
      since ??= Date.now();
      if (!isFinish(entry)) return;
      const second = Math.floor(Date.now() / 1000);
      const last = buckets[buckets.length - 1];
      if (last && last[0] === second) last[1]++;
      else buckets.push([second, 1]);
    },
    text() {
      if (!live.live) return {value: '—', hint: 'needs the live event stream'};
      since ??= Date.now();
      const now = Date.now();
      while (buckets.length && buckets[0][0] * 1000 < now - RATE_WINDOW_MS) buckets.shift();
      const finished = buckets.reduce((sum, [, n]) => sum + n, 0);
      const window = Math.min(RATE_WINDOW_MS, Math.max(now - since, 5000));
      const perSecond = finished / (window / 1000);
      return {value: perSecond < 10 ? perSecond.toFixed(1) : Math.round(perSecond).toLocaleString('en'),
        hint: `${count(finished)} in the last ${duration(window)}`};
    },
  };
}

function metricCards(s, rate) {
  const c = s.counts || {};
  const undecided = (c.ACTIVE || 0) + (c.PREPARING || 0);
  const r = rate.text();
  const card = (label, value, hint, {alert = false, id} = {}) => h('div', {class: `card metric${alert ? ' alert' : ''}`, id},
    h('div', {class: 'label'}, label), h('div', {class: 'value'}, value), h('div', {class: 'hint'}, hint));
  return [
    card('In doubt', count(s.inDoubtCount), s.oldestInDoubtAgeMs != null ? `oldest decided ${duration(s.oldestInDoubtAgeMs)} ago` : 'nothing waits on a participant',
      {alert: s.inDoubtCount > 0, id: 'metric-in-doubt'}),
    card('Undecided', count(undecided), s.oldestUndecidedAgeMs != null ? `oldest began ${duration(s.oldestUndecidedAgeMs)} ago` : 'none open',
      {id: 'metric-undecided'}),
    card('Heuristic', count(c.HEURISTIC || 0), 'finished against the decision', {alert: (c.HEURISTIC || 0) > 0, id: 'metric-heuristic'}),
    card('Finished / s', r.value, r.hint, {id: 'metric-rate'}),
    card('Nodes', count(s.nodes.length), `${s.nodes.filter((n) => n.answered).length} answered`, {id: 'metric-nodes'}),
  ];
}

function inDoubtTable(items, total) {
  const shown = table([
    {label: 'Transaction', cell: (t) => txLink(t.id, {short: true})},
    {label: 'State', cell: (t) => badge(t.state)},
    {label: 'Waiting for', cell: (t) => waitingBranches(t).map((b) => b.participant).join(', ') || '—'},
    {label: 'Decided', cell: (t) => ago(t.decidedAt)},
    {label: 'Last error', class: 'error-text hide-narrow', cell: (t) => waitingBranches(t).map((b) => b.lastError).find(Boolean) || ''},
  ], items, 'Nothing in doubt: every decided transaction has been acknowledged by its participants.');
  const more = total > items.length
    ? h('p', {class: 'small'}, `${items.length} of ${count(total)} shown. `, h('a', {href: '#/transactions?inDoubt=true&order=oldest'}, 'Search them all'))
    : null;
  return [shown, more];
}

function stateTable(counts = {}) {
  const rows = Object.entries(counts).filter(([state]) => !['COMMITTED', 'ROLLED_BACK'].includes(state));
  return table([
    {label: 'State', cell: ([state]) => h('a', {href: `#/transactions?state=${state}`, id: `state-${state}`}, badge(state))},
    {label: 'Count', class: 'num', cell: ([, n]) => count(n)},
  ], rows, 'No unfinished transactions.');
}

function nodeTable(nodes = []) {
  return table([
    {label: 'Node', cell: (n) => h('div', {title: `incarnation ${n.incarnation || '—'}`}, h('strong', {}, n.name),
      h('div', {class: 'muted small'}, n.address || ''))},
    {label: 'Answered', cell: (n) => (n.answered ? 'yes' : h('span', {class: 'error-text'}, `no: ${n.error || 'no answer'}`))},
  ], nodes, 'No live node reported.');
}

function feedItem(e) {
  return h('li', {'data-transaction': e.transactionId || ''},
    h('time', {datetime: e.at, title: e.at}, time(e.at)),
    h('strong', {}, kindLabel(e.kind)), ' ',
    e.transactionId ? [txLink(e.transactionId, {short: true}), ' '] : null,
    h('span', {class: 'muted'}, entrySummary(e)));
}
