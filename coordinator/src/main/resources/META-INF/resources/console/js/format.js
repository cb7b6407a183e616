// How times, ages and states read on screen. Plain words, the same everywhere.

const STATE_LABELS = {
  ACTIVE: 'Active', PREPARING: 'Preparing', COMMITTING: 'Committing', ROLLING_BACK: 'Rolling back',
  COMMITTED: 'Committed', ROLLED_BACK: 'Rolled back', HEURISTIC: 'Heuristic',
};
export const STATES = Object.keys(STATE_LABELS);

export function stateLabel(state) {
  return STATE_LABELS[state] || words(state);
}

/** RESOLVE_BRANCH -> "resolve branch"; null -> "". */
export function words(constant) {
  return constant ? String(constant).toLowerCase().replaceAll('_', ' ') : '';
}

/** The decision as an operator says it: COMMITTED -> COMMIT, ROLLED_BACK -> ROLLBACK. */
export function decisionWord(outcome) {
  return outcome === 'COMMITTED' ? 'COMMIT' : outcome === 'ROLLED_BACK' ? 'ROLLBACK' : outcome;
}

/** 8 s, 4 min, 2 h 5 min, 3 d 2 h */
export function duration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '—';
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const hours = Math.floor(min / 60);
  if (hours < 24) return min % 60 ? `${hours} h ${min % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

export function ago(instant, now = Date.now()) {
  if (!instant) return '—';
  const ms = now - Date.parse(instant);
  return ms < 1000 ? 'just now' : `${duration(ms)} ago`;
}

export function fromNow(instant, now = Date.now()) {
  if (!instant) return '—';
  const ms = Date.parse(instant) - now;
  return ms < 1000 ? 'now' : `in ${duration(ms)}`; // never "in 0 s"
}

/** Local date and time to the second, e.g. 2026-11-23 04:12:09 */
export function dateTime(instant) {
  if (!instant) return '—';
  const d = new Date(instant);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export function time(instant) {
  return instant ? dateTime(instant).slice(11) : '—';
}

export function count(n) {
  return n === null || n === undefined ? '—' : Number(n).toLocaleString('en');
}
