// Keeps a page current: it reloads when a live event it cares about arrives (a burst of events
// makes one reload), and polls only while the event stream is not open.

const DEBOUNCE_MS = 300;

/**
 * load(): Promise, called now and on each refresh (never two at once).
 * relevant(entry, kind): which live events make the page reload.
 * Returns the cleanup function.
 */
export function keepCurrent({live, load, relevant = () => true, pollMs = 5000}) {
  let stopped = false;
  let running = null;
  let again = false;
  let debounce = null;
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
    if (!relevant(entry, kind)) return;
    clearTimeout(debounce);
    debounce = setTimeout(refresh, DEBOUNCE_MS);
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
    clearTimeout(debounce);
    clearInterval(poll);
  };
}
