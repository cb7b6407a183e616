// The console's one connection to GET /events, shared by every page: a page subscribes to the
// history entries it cares about, the top bar shows whether the stream is live. After a drop or
// an `event: overflow` it reconnects with Last-Event-ID, so nothing recorded meanwhile is missed.

import {authHeaders, refuse} from './api.js';
import {sseParser} from './sse.js';

const RETRY_MS = [500, 1000, 2000, 5000, 10000];
const UNAVAILABLE_RETRY_MS = 30000;

export class LiveEvents {
  constructor() {
    this.listeners = new Set();
    this.statusListeners = new Set();
    this.status = 'off'; // off | connecting | on | retry | unavailable (no /events here)
    this.unavailable = false;
    this.lastId = null;
    this.failures = 0;
    this.controller = null;
    this.timer = null;
    this.started = false;
    this.generation = 0;
  }

  /** listener(entry, kind) for every history entry; returns the unsubscribe function. */
  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onStatus(listener) {
    this.statusListeners.add(listener);
    listener(this.status);
    return () => this.statusListeners.delete(listener);
  }

  get live() {
    return this.status === 'on';
  }

  /** Every page calls it; only the first call (since the last stop) connects. */
  start() {
    if (this.started) return;
    this.started = true;
    this.connect();
  }

  stop() {
    this.started = false;
    this.generation++; // a connection of before the stop ends quietly, whatever it was doing
    this.lastId = null; // the next sign-in starts from now, not from what this one saw
    clearTimeout(this.timer);
    this.controller?.abort();
    this.controller = null;
    this.setStatus('off');
  }

  async connect() {
    const generation = this.generation;
    const controller = new AbortController();
    this.controller = controller;
    if (!this.unavailable) this.setStatus(this.failures ? 'retry' : 'connecting');
    let overflow = false;
    try {
      const headers = authHeaders({Accept: 'text/event-stream'});
      if (this.lastId !== null) headers['Last-Event-ID'] = this.lastId;
      const response = await fetch('/events', {headers, signal: controller.signal, cache: 'no-store'});
      if (generation !== this.generation) return;
      if (response.status === 401 || response.status === 403) {
        this.stop();
        refuse(response.status);
        return;
      }
      this.unavailable = response.status === 404; // a coordinator without /events: poll, ask again later
      if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
      this.failures = 0;
      this.setStatus('on'); // open: from here on, whatever is recorded reaches us
      overflow = await this.read(response.body.getReader());
      controller.abort(); // after an overflow the server ends the stream; make sure it is closed
    } catch (e) {
      // a refused connection, a non-2xx answer or a dropped stream: retried below
    }
    if (generation !== this.generation) return;
    this.controller = null;
    if (overflow) {
      this.connect(); // we fell behind: at once, from the last id we have
    } else {
      this.retryLater();
    }
  }

  /** Reads frames until the stream ends (false) or the server says we fell behind (true). */
  async read(reader) {
    const decoder = new TextDecoder();
    let overflow = false;
    const push = sseParser((frame) => {
      if (frame.event === 'overflow') {
        overflow = true;
        return;
      }
      if (frame.id !== null) this.lastId = frame.id;
      this.dispatch(frame);
    });
    while (!overflow) {
      const {done, value} = await reader.read();
      if (done) break;
      push(decoder.decode(value, {stream: true}));
    }
    return overflow;
  }

  dispatch(frame) {
    let entry;
    try {
      entry = JSON.parse(frame.data);
    } catch {
      return; // not an entry (the contract sends JSON only); nothing to show
    }
    for (const listener of this.listeners) {
      try {
        listener(entry, frame.event);
      } catch (e) {
        console.warn('A page failed to take a live event', e);
      }
    }
  }

  retryLater() {
    this.failures++;
    this.setStatus(this.unavailable ? 'unavailable' : 'retry');
    const wait = this.unavailable ? UNAVAILABLE_RETRY_MS : RETRY_MS[Math.min(this.failures - 1, RETRY_MS.length - 1)];
    this.timer = setTimeout(() => this.connect(), wait);
  }

  setStatus(status) {
    if (status === this.status) return;
    this.status = status;
    for (const listener of this.statusListeners) listener(status);
  }
}
