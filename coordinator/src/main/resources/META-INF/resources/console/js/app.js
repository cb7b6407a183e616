// The console's shell: hash routes to pages, the top bar (pages, live indicator, sign-out), and
// the one live event stream. A page is render(main, params, context) returning a cleanup function.

import * as session from './session.js';
import {onUnauthorized} from './api.js';
import {LiveEvents} from './events.js';
import * as signin from './pages/signin.js';
import * as overview from './pages/overview.js';
import * as transactions from './pages/transactions.js';
import * as transaction from './pages/transaction.js';
import * as participants from './pages/participants.js';
import * as audit from './pages/audit.js';

const main = document.querySelector('main');
const topbar = document.querySelector('.topbar');
const live = new LiveEvents();
let cleanup = () => {};

/** '#/transactions/ID?x=1' -> {page, id, query} */
function parse(hash) {
  const [path, search = ''] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return {page: parts[0] || 'overview', id: parts[1], query: new URLSearchParams(search)};
}

const PAGES = {signin, overview, transactions, participants, audit};

function route() {
  document.querySelectorAll('dialog[open]').forEach((d) => d.close());
  cleanup();
  cleanup = () => {};
  const params = parse(location.hash);
  if (!session.credential() && params.page !== 'signin') {
    location.replace('#/signin');
    return;
  }
  const page = params.page === 'transactions' && params.id ? transaction : PAGES[params.page];
  const signedIn = params.page !== 'signin';
  topbar.hidden = !signedIn;
  if (signedIn) live.start(); else live.stop();
  for (const link of document.querySelectorAll('.nav a')) {
    if (link.dataset.page === params.page) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.querySelector('.who').textContent = session.shortName();
  main.replaceChildren();
  if (!page) {
    location.replace('#/overview');
    return;
  }
  cleanup = page.render(main, params, {live, navigate}) || (() => {});
}

function navigate(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

onUnauthorized((message) => {
  live.stop();
  session.signOut(message);
  navigate('#/signin');
});

document.querySelector('.sign-out').addEventListener('click', () => {
  live.stop();
  session.signOut('You signed out. The credential is no longer kept in this tab.');
  navigate('#/signin');
});

const LIVE_TEXT = {on: 'Live', connecting: 'Connecting', retry: 'Reconnecting', unavailable: 'Polling', off: 'Not live'};
live.onStatus((status) => {
  const indicator = document.querySelector('.live');
  indicator.dataset.live = {on: 'on', connecting: 'retry', retry: 'retry'}[status] || 'off';
  indicator.querySelector('.live-text').textContent = LIVE_TEXT[status] || status;
  indicator.title = status === 'on' ? 'Updates arrive as they are recorded (event stream open)'
    : 'The event stream is not open: pages refresh every few seconds instead';
});

window.addEventListener('hashchange', route);
route();
