/**
 * The daily purge on the real embedded database, driven by a manual clock through the Scheduler
 * port: at 03:30 the caller numbers older than callerNumberDays are masked, records older than
 * callRecordsDays deleted, delivered feed items older than outboxDays deleted, pending ones kept.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openEmbedded } from '../../../src/adapters/records/index.js';
import type { Scheduler } from '../../../src/app/reports/index.js';
import { wireOutbox } from '../../../src/compose/outbox.js';
import type { CallRecord } from '../../../src/core/call/index.js';
import { createLogger } from '../../../src/lib/logger.js';
import { ManualClock } from '../../support/manual-clock.js';
import { cityRegistry } from '../../support/registry-builder.js';

const root = mkdtempSync(join(tmpdir(), 'hotline-purge-'));
afterAll(() => { rmSync(root, { recursive: true, force: true }); });
const DAY = 86_400_000;
const log = createLogger({ level: 'silent' });

const record = (callSid: string, arrivedAt: number): CallRecord => ({
  callSid, fsUuid: `u-${callSid}`, caller: '13812345678', line: '12328', mode: 'dual', queue: 'traffic', hops: [], arrivedAt,
  queuedAt: arrivedAt, answeredAt: arrivedAt + 5000, agentId: '1001', agentsTried: ['1001'], endedAt: arrivedAt + 60_000,
  outcome: 'answered', waitSeconds: 5, waitFromArrivalSeconds: 5, survey: 'none', hangupCause: 'NORMAL_CLEARING',
});

it('purges at the registry\'s retention, daily at 03:30 local, on the embedded file', async () => {
  const clock = new ManualClock('2026-06-01T12:00:00+08:00');
  const now = clock.now();
  const db = await openEmbedded(join(root, 'records.db'), log);
  try {
    const registry = {
      ...cityRegistry(),
      retention: { callRecordsDays: 365, callerNumberDays: 90, outboxDays: 30 },
    };
    const jobs: { expression: string; timeZone: string; fn: () => Promise<void> }[] = [];
    const scheduler: Scheduler = { schedule: (expression, timeZone, fn) => { jobs.push({ expression, timeZone, fn }); return () => undefined; } };
    // The purge job as the wiring builds it from the registry (the delivery worker is not started:
    // it would give up the items of a topic nobody receives).
    const outbox = await wireOutbox({ db, registry, env: {}, workOrders: undefined, node: 'n1', clock, timers: clock, logger: log });
    await db.insertCalls([
      { record: record('old', now - 400 * DAY), node: 'n1' },
      { record: record('middle', now - 100 * DAY), node: 'n1' },
      { record: record('recent', now - 10 * DAY), node: 'n1' },
    ]);
    const item = (id: string, age: number) => ({ id, topic: 'dept:x', body: '{}', createdAt: now - age * DAY });
    await db.enqueueOutbox([item('sent-long-ago', 40), item('owed', 40), item('sent-lately', 5)]);
    await db.markDelivered('sent-long-ago', now - 39 * DAY);
    outbox.purge?.schedule(scheduler);
    expect(jobs.map((j) => [j.expression, j.timeZone])).toEqual([['30 3 * * *', 'Asia/Shanghai']]);

    clock.advanceTo(Date.parse('2026-06-02T03:30:00+08:00'));
    await jobs[0]?.fn();

    expect(await db.findCall('old')).toBeNull();
    expect((await db.findCall('middle'))?.record.caller).toBe('138****5678');
    expect((await db.findCall('recent'))?.record.caller).toBe('13812345678');
    const left = await db.outboxAfter('dept:x', 0, 10);
    expect(left.map((r) => r.id)).toEqual(['owed', 'sent-lately']);
  } finally {
    await db.close();
  }
});
