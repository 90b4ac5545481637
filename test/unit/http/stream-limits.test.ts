/**
 * /api/stream's bounds: at most SSE_MAX_CLIENTS streams (one more is answered 503 with a code),
 * and a client that stops reading is dropped once SSE_MAX_BACKLOG_BYTES wait for it, while a
 * client that reads gets everything.
 */
import { request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/adapters/http/app.js';
import { statsRoutes, type StreamLimits } from '../../../src/adapters/http/routes/stats.js';
import type { StatsSnapshot, StreamListener } from '../../../src/app/metrics/index.js';
import { createLogger } from '../../../src/lib/logger.js';

let app: FastifyInstance | undefined;
afterEach(async () => { await app?.close(); app = undefined; });

const listeners = new Set<StreamListener>();
/** A snapshot of about `bytes` bytes of JSON (only its size matters here). */
const big = (bytes: number) => ({ at: 'x', pad: 'p'.repeat(bytes) }) as unknown as StatsSnapshot;

async function serve(limits: StreamLimits): Promise<number> {
  listeners.clear();
  app = await buildApp({
    logger: createLogger({ level: 'silent' }), health: [],
    plugins: [statsRoutes({
      snapshot: () => Promise.resolve(big(10)),
      subscribe: (l) => { listeners.add(l); return () => { listeners.delete(l); }; },
    }, limits)],
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return (app.server.address() as AddressInfo).port;
}

function open(port: number): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/api/stream' }, resolve);
    req.on('error', reject);
    req.end();
  });
}

const until = async (cond: () => boolean, what: string): Promise<void> => {
  const deadline = Date.now() + 10_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('/api/stream limits', () => {
  it('maxClients streams are served; one more gets 503 HOTLINE_ERR_TOO_MANY_STREAMS until one leaves', async () => {
    const port = await serve({ maxClients: 2, maxBacklogBytes: 1024 * 1024 });
    const a = await open(port);
    const b = await open(port);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    const c = await open(port);
    expect(c.statusCode).toBe(503);
    expect(c.headers['retry-after']).toBe('30');
    const body = await new Promise<string>((resolve) => { let t = ''; c.setEncoding('utf8'); c.on('data', (d: string) => { t += d; }); c.on('end', () => resolve(t)); });
    expect(JSON.parse(body)).toMatchObject({ statusCode: 503, code: 'HOTLINE_ERR_TOO_MANY_STREAMS' });
    a.destroy();
    await until(() => listeners.size === 1, 'the first stream to be gone');
    const d = await open(port);
    expect(d.statusCode).toBe(200);
    b.destroy();
    d.destroy();
  });

  it('a client that stops reading is dropped once the backlog passes the bound; one that reads gets every message', async () => {
    const port = await serve({ maxClients: 10, maxBacklogBytes: 64 * 1024 });
    const slow = await open(port);
    slow.pause(); // reads nothing from here on: the kernel buffers fill, then the router's
    const fast = await open(port);
    let received = 0;
    fast.setEncoding('utf8');
    fast.on('data', (d: string) => { received += d.split('event: snapshot').length - 1; });
    await until(() => listeners.size === 2, 'both subscribed');
    // The paused client would not even see its socket close: the router's unsubscribe is the sign.
    const slowDropped = () => listeners.size < 2;
    let sent = 0;
    // 32 KiB messages, paced so the reading client keeps up: the slow one falls behind for good.
    for (; sent < 2000 && !slowDropped(); sent += 1) {
      for (const l of [...listeners]) l({ kind: 'snapshot', snapshot: big(32 * 1024) });
      await new Promise((r) => setImmediate(r));
      if (sent % 20 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    expect(slowDropped()).toBe(true);
    // Dropped after some megabytes at most (the kernel's socket buffers, then 64 KiB of ours), not at the end.
    expect(sent).toBeLessThan(2000);
    await until(() => received === sent, 'the reading client to get every message');
    fast.destroy();
    slow.destroy();
  });
});
