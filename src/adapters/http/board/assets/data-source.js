// Snapshots from the server: SSE (/api/stream, at most one a second) while it works; when the
// stream fails, poll /api/stats every 5 s and try the stream again every 30 s. A 401/403 stops
// everything: a wrong token does not get better by retrying.
const POLL_MS = 5000;
const RETRY_STREAM_MS = 30000;

export function connect({ token, onSnapshot, onStatus }) {
  let stream = null;
  let pollTimer = null;
  let retryTimer = null;
  let stopped = false;

  const stop = (reason) => {
    stopped = true;
    stream?.close();
    clearInterval(pollTimer);
    clearTimeout(retryTimer);
    onStatus(reason);
  };

  async function poll() {
    try {
      const res = await fetch('/api/stats', { headers: { authorization: `Bearer ${token}` }, cache: 'no-store' });
      if (res.status === 401 || res.status === 403) return stop(res.status === 401 ? 'unauthorized' : 'forbidden');
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      onSnapshot(await res.json());
      if (!stream) onStatus('polling');
    } catch {
      if (!stream && !stopped) onStatus('offline');
    }
  }

  function startPolling() {
    if (stopped) return;
    pollTimer ??= setInterval(() => void poll(), POLL_MS);
    retryTimer ??= setTimeout(() => { retryTimer = null; openStream(); }, RETRY_STREAM_MS);
  }

  function openStream() {
    if (stopped || typeof EventSource === 'undefined') return startPolling();
    // EventSource cannot send headers: the token goes in the query (the route opts in to that).
    stream = new EventSource(`/api/stream?token=${encodeURIComponent(token)}`);
    stream.addEventListener('snapshot', (e) => {
      clearInterval(pollTimer);
      pollTimer = null;
      onStatus('live');
      onSnapshot(JSON.parse(e.data));
    });
    stream.addEventListener('open', () => onStatus('live'));
    stream.addEventListener('error', () => {
      // Closed for good (HTTP error, wrong content type) or reconnecting: either way show numbers
      // by polling meanwhile; the poll tells a bad token apart.
      stream?.close();
      stream = null;
      startPolling();
      void poll();
    });
  }

  void poll();
  openStream();
  return { stop: () => stop('stopped') };
}
