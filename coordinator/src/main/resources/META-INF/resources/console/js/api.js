// Every call to the operator API (docs/operator-api.md) goes through here, with the credential
// in the Authorization header. Errors come back as RFC 9457 problems; we keep their title and
// detail, which the coordinator writes to say what to do.

import * as session from './session.js';

export const REFUSED = 'The coordinator refused this credential: it is unknown, revoked or expired. Sign in with a valid operator key or token.';
export const FORBIDDEN = 'This credential does not hold the operator role, which the console needs. Sign in with an operator or admin credential.';

export class Problem extends Error {
  constructor(status, title, detail, type) {
    super(detail || title);
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.type = type;
  }
}

let unauthorized = () => {};

/** What to do when the coordinator answers 401 or 403: the app sends the operator to sign-in. */
export function onUnauthorized(handler) {
  unauthorized = handler;
}

export function authHeaders(extra = {}) {
  return {Authorization: `Bearer ${session.credential() || ''}`, ...extra};
}

/** The message of a 401 or 403, and the sign-out it causes. */
export function refuse(status) {
  const message = status === 401 ? REFUSED : FORBIDDEN;
  unauthorized(message);
  return new Problem(status, status === 401 ? 'Signed out' : 'Not an operator', message);
}

export async function api(path, {method = 'GET', body, query, signal} = {}) {
  const url = query ? `${path}?${new URLSearchParams(query)}` : path;
  let response;
  try {
    response = await fetch(url, {
      method, signal, cache: 'no-store',
      headers: authHeaders(body === undefined ? {Accept: 'application/json'}
        : {Accept: 'application/json', 'Content-Type': 'application/json'}),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new Problem(0, 'The coordinator cannot be reached', `${e.message}. Check that it is running, then try again.`);
  }
  if (response.status === 401 || response.status === 403) throw refuse(response.status);
  if (!response.ok) throw await problemOf(response);
  return response.status === 204 ? null : response.json();
}

async function problemOf(response) {
  try {
    const p = await response.json();
    return new Problem(response.status, p.title || `HTTP ${response.status}`, p.detail || '', p.type);
  } catch {
    return new Problem(response.status, `HTTP ${response.status}`,
      response.status === 404 ? 'The coordinator does not know this address (is it an older version?).' : '');
  }
}

/** Drops empty values, so that a search sends only the filters the operator set. */
export function compact(query) {
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== null && v !== ''));
}
