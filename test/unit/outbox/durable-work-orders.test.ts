import { describe, expect, it } from 'vitest';
import { DurableWorkOrderSink, workOrderItem } from '../../../src/app/outbox/index.js';
import type { WorkOrder } from '../../../src/app/transfer/index.js';
import { createLogger } from '../../../src/lib/logger.js';
import { ManualClock } from '../../support/manual-clock.js';
import { MemoryOutboxDb } from '../../support/memory-outbox-db.js';

const T0 = Date.parse('2026-03-02T08:00:00Z');
const order = (legId: string): WorkOrder => ({
  type: 'transfer-failed', callSid: 'c-1', line: '12345', target: 'police', targetNumber: '110', targetKind: 'emergency',
  reason: 'no-answer', cause: 'NO_ANSWER', at: new Date(T0).toISOString(), agentId: '1001', legId,
});

function setup(maxBuffered = 10) {
  const clock = new ManualClock(T0);
  const db = new MemoryOutboxDb();
  let stored = 0;
  const sink = new DurableWorkOrderSink({ db, clock, timers: clock, log: createLogger({ level: 'silent' }), maxBuffered, retryMs: 1000, onStored: () => { stored += 1; } });
  return { clock, db, sink, stored: () => stored };
}

describe('DurableWorkOrderSink', () => {
  it('stores each order as an outbox item of topic work-orders, keyed by call and leg', async () => {
    const { clock, db, sink, stored } = setup();
    sink.submit(order('l1'));
    await clock.tick(0);
    expect(db.get('work-order:c-1:l1')).toMatchObject({ topic: 'work-orders', state: 'pending', body: JSON.stringify(order('l1')), createdAt: T0 });
    expect(stored()).toBe(1);
    expect(workOrderItem(order('l1'), 5).id).toBe('work-order:c-1:l1');
  });

  it('keeps orders in memory while the database is down and stores them, in order, when it is back', async () => {
    const { clock, db, sink } = setup();
    db.down = true;
    sink.submit(order('l1'));
    sink.submit(order('l2'));
    await clock.tick(5000);
    expect(sink.buffered).toBe(2);
    db.down = false;
    await clock.tick(1000);
    expect(sink.buffered).toBe(0);
    const rows = await db.outboxAfter('work-orders', 0, 10);
    expect(rows.map((r) => r.id)).toEqual(['work-order:c-1:l1', 'work-order:c-1:l2']);
  });

  it('is bounded: beyond maxBuffered the oldest order is dropped and counted', async () => {
    const { clock, db, sink } = setup(2);
    db.down = true;
    for (const l of ['l1', 'l2', 'l3']) sink.submit(order(l));
    expect(sink.buffered).toBe(2);
    expect(sink.dropped).toBe(1);
    db.down = false;
    await clock.tick(1000);
    expect((await db.outboxAfter('work-orders', 0, 10)).map((r) => r.id)).toEqual(['work-order:c-1:l2', 'work-order:c-1:l3']);
  });

  it('close writes what is buffered when it can', async () => {
    const { db, sink } = setup();
    db.down = true;
    sink.submit(order('l1'));
    await new Promise((r) => setImmediate(r));
    db.down = false;
    await sink.close();
    expect(db.get('work-order:c-1:l1')?.state).toBe('pending');
  });
});

describe('DurableWorkOrderSink shutdown', () => {
  it('gives the last write graceMs, then logs what is left instead of hanging on a silent database', async () => {
    const clock = new ManualClock(T0);
    const never = { enqueueOutbox: () => new Promise<void>(() => undefined) };
    const sink = new DurableWorkOrderSink({ db: never, clock, timers: clock, log: createLogger({ level: 'silent' }) });
    sink.submit(order('l1'));
    let closed = false;
    const closing = sink.close(3000).then(() => { closed = true; });
    await clock.tick(2999);
    expect(closed).toBe(false);
    await clock.tick(1);
    await closing;
    expect(closed).toBe(true);
    expect(sink.buffered).toBe(0);
  });
});
