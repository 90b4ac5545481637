/** The work-order outbox against a real local HTTP receiver (node:http on port 0). */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WorkOrderOutbox, verify, workOrderSettings } from '../../../src/adapters/webhook/index.js';
import type { WorkOrder } from '../../../src/app/transfer/index.js';
import { createLogger } from '../../../src/lib/logger.js';

interface Received { body: string; headers: IncomingMessage['headers'] }

let server: Server;
let url: string;
let received: Received[];
let answer: (n: number) => { status: number; headers?: Record<string, string> };
let outbox: WorkOrderOutbox | undefined;
const SECRET = 'a-long-shared-secret';

const order: WorkOrder = {
  type: 'transfer-failed', callSid: 'call-1', line: '12345', target: '12366', targetNumber: '12366', targetKind: 'subcenter',
  reason: 'no-answer', cause: 'NO_ANSWER', at: '2026-03-03T02:00:30.000Z', agentId: '1001', legId: 'call-1-t1',
};

beforeEach(async () => {
  received = [];
  answer = () => ({ status: 204 });
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
      const a = answer(received.length);
      res.writeHead(a.status, a.headers).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/work-orders`;
});
afterEach(async () => {
  outbox?.close();
  await new Promise<void>((r) => server.close(() => r()));
});

const make = (over: Partial<ConstructorParameters<typeof WorkOrderOutbox>[0]> = {}) => {
  outbox = new WorkOrderOutbox({ url, secret: SECRET, timeoutMs: 2000, baseDelayMs: 5, maxDelayMs: 20, maxAttempts: 4, logger: createLogger({ level: 'silent' }), ...over });
  return outbox;
};

describe('work-order webhook', () => {
  it('POSTs the JSON order signed over the raw body; the signature verifies', async () => {
    const o = make();
    o.submit(order);
    expect(o.stats.pending).toBe(1); // submit never waits for the receiver
    await o.idle();
    expect(received).toHaveLength(1);
    const r = received[0]!;
    expect(JSON.parse(r.body)).toEqual(order);
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers['x-hotline-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verify(SECRET, r.body, r.headers['x-hotline-signature'] as string)).toBe(true);
    expect(verify('another-secret-entirely', r.body, r.headers['x-hotline-signature'] as string)).toBe(false);
    expect(verify(SECRET, r.body.replace('no-answer', 'busy'), r.headers['x-hotline-signature'] as string)).toBe(false);
    expect(Math.abs(Number(r.headers['x-hotline-timestamp']) - Date.now() / 1000)).toBeLessThan(5);
    expect(o.stats).toEqual({ pending: 0, delivered: 1, failed: 0, dropped: 0 });
    expect(o.health().state).toBe('ok');
  });

  it('retries after 503 and 429, then succeeds', async () => {
    answer = (n) => (n === 1 ? { status: 503 } : n === 2 ? { status: 429, headers: { 'retry-after': '0' } } : { status: 200 });
    const o = make();
    o.submit(order);
    await o.idle();
    expect(received).toHaveLength(3);
    expect(new Set(received.map((r) => r.body)).size).toBe(1);
    expect(o.stats).toMatchObject({ delivered: 1, failed: 0 });
  });

  it('gives up after maxAttempts', async () => {
    answer = () => ({ status: 500 });
    const o = make({ maxAttempts: 3 });
    o.submit(order);
    await o.idle();
    expect(received).toHaveLength(3);
    expect(o.stats).toEqual({ pending: 0, delivered: 0, failed: 1, dropped: 0 });
    expect(o.health()).toEqual({ state: 'degraded', detail: '0 pending, 0 delivered, 1 failed' });
  });

  it('does not retry a 400', async () => {
    answer = () => ({ status: 400 });
    const o = make();
    o.submit(order);
    await o.idle();
    expect(received).toHaveLength(1);
    expect(o.stats.failed).toBe(1);
  });

  it('retries network errors (nobody listening)', async () => {
    const o = make({ url: 'http://127.0.0.1:1/unreachable', maxAttempts: 2 });
    o.submit(order);
    await o.idle();
    expect(o.stats.failed).toBe(1);
  });

  it('backoff is exponential, capped, with full jitter', () => {
    const o = make({ baseDelayMs: 100, maxDelayMs: 1000, random: () => 1 });
    expect([1, 2, 3, 4, 5, 6].map((n) => o.delayMs(n))).toEqual([100, 200, 400, 800, 1000, 1000]);
    const half = make({ baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.5 });
    expect(half.delayMs(3)).toBe(200);
    expect(half.delayMs(1, 700)).toBe(700); // Retry-After is honoured up to the cap
  });

  it('settings from the environment', () => {
    expect(workOrderSettings({})).toBeUndefined();
    expect(workOrderSettings({ WORK_ORDER_URL: 'https://x.example/wo', WORK_ORDER_SECRET: SECRET })).toEqual({ url: 'https://x.example/wo', secret: SECRET });
    expect(() => workOrderSettings({ WORK_ORDER_URL: 'https://x.example/wo' })).toThrow(/WORK_ORDER_SECRET/);
    expect(() => workOrderSettings({ WORK_ORDER_URL: 'not a url', WORK_ORDER_SECRET: SECRET })).toThrow(/not a URL/);
  });
});
