// Sign-in: the operator pastes an API key (vdk_…) or a bearer token. We keep it in this tab's
// sessionStorage and check it with GET /status, which needs the operator role.

import {h, problemNotice} from '../dom.js';
import {api} from '../api.js';
import * as session from '../session.js';

export function render(main, params, {navigate}) {
  document.title = 'Sign in · Verdict console';
  const message = session.takeMessage();
  const input = h('input', {id: 'credential', name: 'credential', type: 'password', autocomplete: 'off',
    spellcheck: 'false', placeholder: 'vdk_… or eyJ…', 'aria-describedby': 'credential-hint', required: true});
  const notice = h('div', {class: 'signin-message', 'aria-live': 'assertive'},
    message ? h('div', {class: 'notice error', role: 'alert'}, message) : null);
  const button = h('button', {type: 'submit', class: 'button'}, 'Sign in');

  const form = h('form', {novalidate: true, onsubmit: async (event) => {
    event.preventDefault();
    const value = input.value.trim();
    if (!value) {
      input.setAttribute('aria-invalid', 'true');
      notice.replaceChildren(h('div', {class: 'notice error', role: 'alert'}, 'Paste an operator API key or token first.'));
      input.focus();
      return;
    }
    button.disabled = true;
    session.signIn(value);
    try {
      await api('/status', {query: {limit: 1}});
      navigate('#/overview');
    } catch (e) {
      // 401 and 403 have sent us back here with their message; anything else is shown as it is
      if (e.status !== 401 && e.status !== 403) {
        session.signOut();
        notice.replaceChildren(problemNotice(e));
        button.disabled = false;
      }
    }
  }},
  h('div', {class: 'field'},
    h('label', {for: 'credential'}, 'Operator API key or bearer token'),
    input,
    h('div', {class: 'hint', id: 'credential-hint'},
      'Kept in this browser tab only (session storage) and sent only to this coordinator. ',
      'It needs the operator or admin role; docs/security.md says how to issue one.')),
  notice,
  button);

  main.append(h('section', {class: 'signin card'},
    h('div', {class: 'brand'}, h('span', {class: 'brand-mark', 'aria-hidden': 'true'}, 'V'), 'Verdict console'),
    h('h1', {}, 'Sign in'),
    form));
  input.focus();
}
