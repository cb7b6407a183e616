// Participants: each registration with what deliveries to it look like across the live nodes,
// and pause / resume / retry, each behind a reason dialog.

import {fill, h, keepFocus, problemNotice} from '../dom.js';
import {api} from '../api.js';
import {reasonDialog} from '../dialog.js';
import {ago, count, duration, words} from '../format.js';
import {keepCurrent} from '../refresh.js';
import {pageHead, table, when} from '../widgets.js';

const ACTIONS = {
  pause: {label: 'Pause…', title: (p) => `Pause deliveries to ${p}`,
    statement: (p) => `Deliveries to ${p} wait until it is resumed: new prepares to it fail at once (those transactions roll back), and decided messages are held without counting attempts. No decision changes.`,
    confirm: 'Pause deliveries'},
  resume: {label: 'Resume…', title: (p) => `Resume deliveries to ${p}`,
    statement: (p) => `Deliveries to ${p} start again, and everything waiting on it is retried now.`,
    confirm: 'Resume deliveries'},
  retry: {label: 'Retry now…', title: (p) => `Retry everything waiting on ${p}`,
    statement: (p) => `Every message waiting for ${p} is sent now instead of at its next scheduled attempt. No decision changes.`,
    confirm: 'Retry now'},
};

export function render(main, params, {live}) {
  document.title = 'Participants · Verdict console';
  const problem = h('div');
  const result = h('div', {'aria-live': 'polite'});
  const list = h('div', {id: 'participants'}, h('p', {class: 'muted'}, 'Loading…'));
  main.append(pageHead('Participants', 'Registered services, and how deliveries to them are going on every live node.'), problem, result, list);

  async function load() {
    try {
      const participants = await api('/participants');
      problem.replaceChildren();
      // Each node counts its own deliveries; one that did not answer is missing from every figure.
      const silent = [...new Set(participants.flatMap((p) => p.unansweredNodes || []))];
      keepFocus(list, () => fill(list, silent.length ? h('div', {class: 'notice warn', id: 'silent-nodes'},
        `${silent.join(', ')} did not answer: deliveries ${silent.length === 1 ? 'it drives are' : 'they drive are'}`
        + ' missing from the backlogs and last deliveries below.') : null, participantTable(participants, act)));
    } catch (e) {
      problem.replaceChildren(problemNotice(e));
    }
  }

  async function act(name, action) {
    const a = ACTIONS[action];
    const answer = await reasonDialog({
      title: a.title(name), statement: a.statement(name), confirmLabel: a.confirm,
      submit: (reason) => api(`/participants/${encodeURIComponent(name)}/actions/${action}`, {method: 'POST', body: {reason}}),
    });
    if (answer === null) return;
    result.replaceChildren(h('div', {class: 'notice success', role: 'status'}, `Done: ${words(action)} ${name}, recorded in the audit log.`));
    await load();
  }

  return keepCurrent({live, load, relevant: (entry) => Boolean(entry.participant)});
}

function participantTable(participants, act) {
  const button = (p, action) => h('button', {type: 'button', class: 'button small secondary', 'data-action': `${action}:${p.name}`,
    id: `${action}-${p.name}`,
    onclick: () => act(p.name, action)}, ACTIONS[action].label);
  return table([
    {label: 'Participant', cell: (p) => h('div', {}, h('strong', {}, p.name), h('div', {class: 'muted small'}, p.callbackUrl))},
    {label: 'Status', cell: (p) => (p.paused
      ? h('div', {}, h('span', {class: 'badge s-paused'}, 'Paused'),
        h('div', {class: 'muted small'}, `by ${p.paused.by || '—'} ${ago(p.paused.at)}${p.paused.reason ? `: “${p.paused.reason}”` : ''}`))
      : h('span', {class: 'badge s-COMMITTED'}, 'Delivering'))},
    {label: 'Backlog', class: 'num', cell: (p) => count(p.backlog)},
    {label: 'Oldest waiting', class: 'num', cell: (p) => (p.oldestWaitingAgeMs == null ? '—' : duration(p.oldestWaitingAgeMs))},
    {label: 'Last success', class: 'hide-narrow', cell: (p) => (p.lastSuccessAt ? ago(p.lastSuccessAt) : '—')},
    {label: 'Last failure', cell: (p) => (p.lastFailureAt
      ? h('div', {}, ago(p.lastFailureAt), p.lastError ? h('div', {class: 'error-text small'}, p.lastError) : null)
      : '—')},
    {label: 'Registered', class: 'hide-narrow', cell: (p) => when(p.registeredAt)},
    {label: 'Actions', cell: (p) => h('div', {class: 'actions-row nowrap'},
      p.paused ? button(p, 'resume') : button(p, 'pause'), button(p, 'retry'))},
  ], participants, 'No participant is registered.');
}
