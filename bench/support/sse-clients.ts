/**
 * The wall boards for bench/sse-fanout.bench.ts, in a child process so their CPU is not the
 * router's: plain http.get streams to /api/stream (one socket each), counting `event: snapshot`
 * messages. Driven over IPC (./sse-protocol.ts); closes everything and exits when the parent goes.
 */
import { get, type ClientRequest } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { FromClients, ToClients } from './sse-protocol.js';

interface Stream {
  snapshots: number;
  atMark: number;
  /** when the last snapshot arrived (-1: none since the mark), and the longest wait between two since the mark (ms) */
  lastAt: number;
  longestGap: number;
  open: boolean;
  req: ClientRequest;
}

const streams: Stream[] = [];
let bytes = 0;
let marked = false;

function send(msg: FromClients): void {
  process.send?.(msg);
}

/** One stream; resolves when its first snapshot has arrived (the push on subscribe). */
function open(url: string): Promise<Stream> {
  return new Promise((resolve, reject) => {
    let pending = '';
    let first = true;
    const req = get(url, { agent: false, headers: { accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`HTTP ${res.statusCode ?? '?'}`));
        res.resume();
        return;
      }
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        bytes += Buffer.byteLength(chunk);
        pending += chunk;
        // Messages end with a blank line; a partial one waits for the next chunk.
        let end = pending.indexOf('\n\n');
        while (end >= 0) {
          const message = pending.slice(0, end);
          pending = pending.slice(end + 2);
          if (message.startsWith('event: snapshot\n')) {
            const now = performance.now();
            if (marked && stream.lastAt >= 0) stream.longestGap = Math.max(stream.longestGap, now - stream.lastAt);
            stream.lastAt = now;
            stream.snapshots += 1;
            if (first) { first = false; resolve(stream); }
          }
          end = pending.indexOf('\n\n');
        }
      });
      res.on('close', () => { stream.open = false; });
    });
    const stream: Stream = { snapshots: 0, atMark: 0, lastAt: 0, longestGap: 0, open: true, req };
    req.on('error', (err) => { stream.open = false; reject(err); });
  });
}

process.on('message', (raw) => {
  const msg = raw as ToClients;
  switch (msg.type) {
    case 'connect':
      void Promise.allSettled(Array.from({ length: msg.count }, () => open(msg.url))).then((results) => {
        const failed: string[] = [];
        for (const r of results) {
          if (r.status === 'fulfilled') streams.push(r.value);
          else failed.push(r.reason instanceof Error ? r.reason.message : String(r.reason));
        }
        send({ type: 'ready', id: msg.id, connected: streams.length, failed });
      });
      return;
    case 'mark':
      for (const s of streams) {
        s.atMark = s.snapshots;
        // Waits between two snapshots inside the window only.
        s.longestGap = 0;
        s.lastAt = -1;
      }
      marked = true;
      bytes = 0;
      send({ type: 'done', id: msg.id });
      return;
    case 'report':
      send({
        type: 'counts', id: msg.id, counts: streams.map((s) => s.snapshots - s.atMark), longestGaps: streams.map((s) => s.longestGap),
        bytes, open: streams.filter((s) => s.open).length,
      });
      return;
  }
});
process.on('disconnect', () => {
  for (const s of streams) s.req.destroy();
  process.exit(0);
});
