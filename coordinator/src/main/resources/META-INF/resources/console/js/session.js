// The operator's credential lives in this tab's sessionStorage only: it is gone when the tab
// closes, never written to disk by us, never in a URL, never sent anywhere but this origin.

const CREDENTIAL = 'verdict.console.credential';
const MESSAGE = 'verdict.console.signin-message';

export function credential() {
  return sessionStorage.getItem(CREDENTIAL);
}

export function signIn(value) {
  sessionStorage.setItem(CREDENTIAL, value.trim().replace(/^Bearer\s+/i, ''));
  sessionStorage.removeItem(MESSAGE);
}

/** Forgets the credential; message, if any, is what the sign-in page says why. */
export function signOut(message) {
  sessionStorage.removeItem(CREDENTIAL);
  if (message) sessionStorage.setItem(MESSAGE, message);
  else sessionStorage.removeItem(MESSAGE);
}

export function takeMessage() {
  const message = sessionStorage.getItem(MESSAGE);
  sessionStorage.removeItem(MESSAGE);
  return message;
}

/** What the top bar shows of the credential: enough to tell two apart, not enough to use. */
export function shortName(value = credential()) {
  if (!value) return '';
  return value.startsWith('vdk_') ? `${value.slice(0, 8)}…` : 'bearer token';
}
