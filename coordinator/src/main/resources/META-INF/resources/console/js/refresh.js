// Keeps a page current: it reloads when a live event it cares about arrives (at most once per
// RELOAD_MS however busy the cluster is: a steady flood of events must not become a flood of
// requests, nor postpone the reload forever), and polls only while the event stream is not open.

const RELOAD_MS = 500;

/**
 * load(): Promise, called now and on each refresh (never two at once).
 * relevant(entry, kind): which live events make the page reload.
 * Returns the cleanup function.
 */
export function keepCurrent({live, load, relevant = () => true, pollMs = 5000}) {
  let stopped = false;
  let running = null;
  let again = false;
  let pending = null;
  let poll = null;

  async function refresh() {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = load().catch(() => {}).finally(() => {
      running = null;
      if (again && !stopped) {
        again = false;
        refresh();
      }
    });
  }

  const unsubscribe = live.subscribe((entry, kind) => {
    if (!relevant(entry, kind) || pending) return;
    pending = setTimeout(() => {
      pending = null;
      refresh();
    }, RELOAD_MS);
  });
  let previous = live.status;
  const unwatch = live.onStatus((status) => {
    clearInterval(poll);
    poll = status === 'on' ? null : setInterval(refresh, pollMs);
    if (status === 'on' && previous !== 'on') refresh(); // anything missed while the stream was down
    previous = status;
  });
  refresh();

  return () => {
    stopped = true;
    unsubscribe();
    unwatch();
    clearTimeout(pending);
    clearInterval(poll);
  };
}
