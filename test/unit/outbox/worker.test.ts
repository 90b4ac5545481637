import { describe, expect, it } from 'vitest';
import { OutboxWorker, type DeliveryResult, type DeliveryTarget } from '../../../src/app/outbox/index.js';
import { createLogger } from '../../../src/lib/logger.js';
import { ManualClock, settle } from '../../support/manual-clock.js';
import { MemoryOutboxDb } from '../../support/memory-outbox-db.js';

const T0 = Date.parse('2026-03-02T08:00:00Z');
const target: DeliveryTarget = { url: 'http://127.0.0.1:1/x', secret: 's'.repeat(16), timeoutMs: 1000 };
const retry = { maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 8000 };

interface Sent { readonly id: string; readonly body: string; readonly headers: Readonly<Record<string, string>> }

function setup(answer: (sent: Sent) => DeliveryResult, targets: Record<string, DeliveryTarget | undefined> = { a: target, b: target }) {
  const clock = new ManualClock(T0);
  const db = new MemoryOutboxDb();
  const sent: Sent[] = [];
  const worker = new OutboxWorker({
    db, node: 'n1', clock, timers: clock, log: createLogger({ level: 'silent' }), retry, pollMs: 500, leaseMs: 10_000,
    random: () => 0.5, targetOf: (topic) => targets[topic],
    post: (_t, body, headers) => {
      const s = { id: headers['idempotency-key'] ?? '', body, headers };
      sent.push(s);
      return Promise.resolve(answer(s));
    },
  });
  const item = (id: string, topic = 'a') => ({ id, topic, body: JSON.stringify({ id }), createdAt: clock.now() });
  return { clock, db, sent, worker, item };
}

describe('OutboxWorker', () => {
  it('delivers with the idempotency key, topic and seq headers, and marks the item delivered', async () => {
    const { clock, db, sent, worker, item } = setup(() => ({ kind: 'delivered', status: 204 }));
    await db.enqueueOutbox([item('x1')]);
    worker.start();
    await clock.tick(0);
    expect(sent.map((s) => s.id)).toEqual(['x1']);
    expect(sent[0]?.headers).toMatchObject({ 'idempotency-key': 'x1', 'x-hotline-topic': 'a', 'x-hotline-seq': '1' });
    expect(db.get('x1')).toMatchObject({ state: 'delivered', deliveredAt: T0 });
    expect(worker.counters).toEqual({ delivered: 1, retried: 0, dead: 0 });
    await worker.stop();
  });

  it('sends a topic in seq order: the next item only after the head is delivered', async () => {
    let down = true;
    const { clock, db, sent, worker, item } = setup(() => (down ? { kind: 'retry', status: 503 } : { kind: 'delivered', status: 200 }));
    await db.enqueueOutbox([item('a1'), item('a2'), item('a3')]);
    worker.start();
    await clock.tick(0);
    expect(sent.map((s) => s.id)).toEqual(['a1']);
    // Backoff after attempt 1: 0.5 × 1000 ms; nothing of topic a goes before a1.
    expect(db.get('a1')).toMatchObject({ state: 'pending', attempts: 1, nextAttemptAt: T0 + 500, lastError: 'HTTP 503' });
    down = false;
    await clock.tick(1000);
    expect(sent.map((s) => s.id)).toEqual(['a1', 'a1', 'a2', 'a3']);
    expect(worker.counters).toEqual({ delivered: 3, retried: 1, dead: 0 });
    await worker.stop();
  });

  it('another topic is not held up by a failing one', async () => {
    const { clock, db, sent, worker, item } = setup((s) => (s.id.startsWith('a') ? { kind: 'retry', error: 'ECONNREFUSED' } : { kind: 'delivered', status: 200 }));
    await db.enqueueOutbox([item('a1'), item('b1', 'b'), item('b2', 'b')]);
    worker.start();
    await clock.tick(0);
    expect(sent.map((s) => s.id)).toEqual(['a1', 'b1', 'b2']);
    expect(db.get('a1')?.lastError).toBe('ECONNREFUSED');
    await worker.stop();
  });

  it('a 4xx is dead at once; a retryable failure is dead after maxAttempts', async () => {
    const { clock, db, sent, worker, item } = setup((s) => (s.id === 'a1' ? { kind: 'rejected', status: 422 } : { kind: 'retry', status: 500 }));
    await db.enqueueOutbox([item('a1'), item('b1', 'b')]);
    worker.start();
    await clock.tick(60_000);
    expect(db.get('a1')).toMatchObject({ state: 'dead', attempts: 1, lastError: 'HTTP 422' });
    expect(db.get('b1')).toMatchObject({ state: 'dead', attempts: 3 });
    expect(sent.filter((s) => s.id === 'a1')).toHaveLength(1);
    expect(sent.filter((s) => s.id === 'b1')).toHaveLength(3);
    expect(worker.counters).toEqual({ delivered: 0, retried: 2, dead: 2 });
    expect(worker.health().state).toBe('degraded');
    await worker.stop();
  });

  it('waits out the backoff (full jitter over a capped exponential) before each retry', async () => {
    const at: number[] = [];
    const { clock, db, worker, item } = setup(() => { at.push(clock.now() - T0); return { kind: 'retry', status: 502 }; });
    await db.enqueueOutbox([item('a1')]);
    worker.start();
    await clock.tick(60_000);
    // random 0.5: 500 ms after attempt 1, then 1000 ms; the poll (500 ms) finds each when due.
    expect(at).toEqual([0, 500, 1500]);
    await worker.stop();
  });

  it('honours Retry-After as the floor of the next delay', async () => {
    const { clock, db, worker, item } = setup(() => ({ kind: 'retry', status: 429, retryAfterMs: 5000 }));
    await db.enqueueOutbox([item('a1')]);
    worker.start();
    await clock.tick(0);
    expect(db.get('a1')?.nextAttemptAt).toBe(T0 + 5000);
    await worker.stop();
  });

  it('an item of a topic nobody receives is dead (kept for replay)', async () => {
    const { clock, db, sent, worker, item } = setup(() => ({ kind: 'delivered', status: 200 }), { a: undefined });
    await db.enqueueOutbox([item('a1')]);
    worker.start();
    await clock.tick(0);
    expect(sent).toEqual([]);
    expect(db.get('a1')).toMatchObject({ state: 'dead', lastError: 'no receiver configured for this topic' });
    await worker.stop();
  });

  it('rides out an unreachable database: claims again at the next poll', async () => {
    const { clock, db, sent, worker, item } = setup(() => ({ kind: 'delivered', status: 200 }));
    await db.enqueueOutbox([item('a1')]);
    db.down = true;
    worker.start();
    await clock.tick(2000);
    expect(sent).toEqual([]);
    expect(worker.health()).toMatchObject({ state: 'degraded' });
    db.down = false;
    await clock.tick(500);
    expect(sent.map((s) => s.id)).toEqual(['a1']);
    expect(worker.health().state).toBe('ok');
    await worker.stop();
  });

  it('kick delivers a new item before the next poll', async () => {
    const { clock, db, sent, worker, item } = setup(() => ({ kind: 'delivered', status: 200 }));
    worker.start();
    await clock.tick(0);
    await db.enqueueOutbox([item('a1')]);
    worker.kick();
    await settle();
    await settle();
    expect(sent.map((s) => s.id)).toEqual(['a1']);
    await worker.stop();
  });

  it('refuses a lease shorter than twice the POST timeout', () => {
    const clock = new ManualClock(T0);
    expect(() => new OutboxWorker({
      db: new MemoryOutboxDb(), node: 'n', clock, timers: clock, log: createLogger({ level: 'silent' }),
      targetOf: () => target, post: () => Promise.resolve({ kind: 'delivered', status: 200 }), leaseMs: 5000, maxTimeoutMs: 5000,
    })).toThrow(/lease/);
  });
});

describe('OutboxWorker leases', () => {
  it('an item leased by a node that died goes again, same idempotency key, once the lease ends — not before', async () => {
    const clock = new ManualClock(T0);
    const db = new MemoryOutboxDb();
    await db.enqueueOutbox([{ id: 'x1', topic: 'a', body: '{}', createdAt: T0 }]);
    // node-dead claimed it and vanished mid-POST.
    expect((await db.claimOutbox('node-dead', T0, 10_000, 10)).map((r) => r.id)).toEqual(['x1']);
    const keys: string[] = [];
    const worker = new OutboxWorker({
      db, node: 'n2', clock, timers: clock, log: createLogger({ level: 'silent' }), retry, pollMs: 500, leaseMs: 10_000,
      targetOf: () => target, post: (_t, _b, h) => { keys.push(h['idempotency-key'] ?? ''); return Promise.resolve({ kind: 'delivered', status: 200 }); },
    });
    worker.start();
    await clock.tick(9_500);
    expect(keys).toEqual([]);
    await clock.tick(1_000);
    expect(keys).toEqual(['x1']);
    await worker.stop();
  });
});
