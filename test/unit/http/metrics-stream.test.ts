/** GET /api/stream over a real socket: events arrive, and a client that goes away leaves nothing behind. */
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/adapters/http/app.js';
import { createMetrics, type Metrics } from '../../../src/compose/metrics.js';
import type { StatsSnapshot } from '../../../src/app/metrics/index.js';
import { createLogger } from '../../../src/lib/logger.js';
import { ManualClock } from '../../support/manual-clock.js';
import { shanghai } from '../../support/registry-builder.js';
import { FakeAcd } from '../metrics/fake-acd.js';
import { DAY, dayRegistry, scriptedDay } from '../metrics/scripted-day.js';

let clock: ManualClock;
let metrics: Metrics;
let app: FastifyInstance;
let port: number;

beforeEach(async () => {
  clock = new ManualClock(shanghai(`${DAY} 23:00`));
  metrics = createMetrics({ registry: dayRegistry(), clock, timers: clock, acd: new FakeAcd(), scheduler: null, processMetrics: false });
  app = await buildApp({ logger: createLogger({ level: 'silent' }), health: [], plugins: metrics.plugins });
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as AddressInfo).port;
});
afterEach(async () => {
  await app.close();
  await metrics.stop();
});

interface Stream { req: ClientRequest; res: IncomingMessage; text: () => string; next: (n: number) => Promise<string[]> }

function open(): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/api/stream?token=t' }, (res) => {
      let buf = '';
      const waiters: (() => void)[] = [];
      res.setEncoding('utf8');
      res.on('data', (d: string) => { buf += d; for (const w of waiters.splice(0)) w(); });
      const events = () => buf.split('\n\n').filter((e) => e.startsWith('event: snapshot'));
      const next = async (n: number): Promise<string[]> => {
        const deadline = Date.now() + 5000;
        while (events().length < n) {
          if (Date.now() > deadline) throw new Error(`waited for ${n} events, have ${events().length}`);
          await new Promise<void>((r) => { waiters.push(r); setTimeout(r, 50); });
        }
        return events();
      };
      resolve({ req, res, text: () => buf, next });
    });
    req.on('error', reject);
    req.end();
  });
}

const until = async (cond: () => boolean): Promise<void> => {
  const deadline = Date.now() + 5000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('GET /api/stream', () => {
  it('sends a snapshot at once, the next one after a change and a second, heartbeats as comments', async () => {
    const s = await open();
    expect(s.res.statusCode).toBe(200);
    expect(s.res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    const [first] = await s.next(1);
    const data = JSON.parse(first?.split('\ndata: ')[1] ?? '{}') as StatsSnapshot;
    expect(data.total.counts.calls).toBe(0);

    for (const r of scriptedDay()) metrics.sink.add(r);
    await clock.tick(1000);
    const events = await s.next(2);
    expect((JSON.parse(events[1]?.split('\ndata: ')[1] ?? '{}') as StatsSnapshot).total.counts.calls).toBe(12);

    await clock.tick(15_000);
    await until(() => s.text().includes(': heartbeat\n\n'));
    expect(await s.next(2)).toHaveLength(2); // nothing changed: no new snapshot
    s.req.destroy();
  });

  it('a client that disconnects is unsubscribed and nothing stays armed (no leak)', async () => {
    const streams = await Promise.all([open(), open(), open()]);
    await Promise.all(streams.map((s) => s.next(1)));
    expect(metrics.publisher.subscriberCount).toBe(3);
    streams[0]?.req.destroy();
    await until(() => metrics.publisher.subscriberCount === 2);
    for (const s of streams.slice(1)) s.req.destroy();
    await until(() => metrics.publisher.subscriberCount === 0);
    expect(metrics.publisher.active).toBe(false);
    expect(clock.armed()).toEqual([]); // (the collector's rollover is not started here)
  });

  it('open streams are ended when the app closes (shutdown does not hang on them)', async () => {
    const s = await open();
    await s.next(1);
    const ended = new Promise<void>((resolve) => { s.res.on('end', resolve); s.res.on('close', resolve); });
    await app.close();
    await ended;
    expect(metrics.publisher.subscriberCount).toBe(0);
  });
});
