import { Writable } from 'node:stream';
import cron from 'node-cron';
import { describe, expect, it } from 'vitest';
import type { PurgeCounts, RetentionPolicy } from '../../../src/app/records/records-db.js';
import type { Scheduler } from '../../../src/app/reports/index.js';
import { PurgeJob, dailyCron, hasRetention } from '../../../src/app/retention/purge-job.js';
import { retentionPolicy } from '../../../src/compose/outbox.js';
import { createLogger } from '../../../src/lib/logger.js';
import { maskNumber } from '../../../src/lib/mask.js';
import { ManualClock } from '../../support/manual-clock.js';
import { cityRegistry } from '../../support/registry-builder.js';

const COUNTS: PurgeCounts = { callRecords: 3, callerNumbersMasked: 7, agentLog: 2, audit: 1, reports: 0, outbox: 9 };

function setup(fail = false) {
  const clock = new ManualClock('2026-03-02T00:00:00+08:00');
  const calls: { policy: RetentionPolicy; now: number; masked: string }[] = [];
  const db = {
    purge(policy: RetentionPolicy, now: number, mask: (c: string) => string): Promise<PurgeCounts> {
      if (fail) return Promise.reject(new Error('connection terminated'));
      calls.push({ policy, now, masked: mask('13812345678') });
      return Promise.resolve(COUNTS);
    },
  };
  const scheduled: { expression: string; timeZone: string; fn: () => Promise<void> }[] = [];
  const scheduler: Scheduler = { schedule(expression, timeZone, fn) { scheduled.push({ expression, timeZone, fn }); return () => undefined; } };
  const lines: unknown[] = [];
  const destination = new Writable({ write(chunk: Buffer, _enc, done) { lines.push(JSON.parse(chunk.toString())); done(); } });
  const log = createLogger({ level: 'info', destination });
  const policy: RetentionPolicy = { callRecordsDays: 365, callerNumberDays: 30, outboxDays: 7 };
  const job = new PurgeJob({ db, policy, clock, mask: maskNumber, log, timeZone: 'Asia/Shanghai' });
  return { clock, calls, scheduled, scheduler, job, lines, policy };
}

describe('retention purge job', () => {
  it('runs daily at 03:30 in the hotline\'s zone and purges with the clock\'s now and the caller mask', async () => {
    const { clock, calls, scheduled, scheduler, job, policy, lines } = setup();
    job.schedule(scheduler);
    expect(scheduled.map((s) => [s.expression, s.timeZone])).toEqual([['30 3 * * *', 'Asia/Shanghai']]);
    expect(cron.validate(scheduled[0]?.expression ?? '')).toBe(true);
    clock.advanceTo(Date.parse('2026-03-02T03:30:00+08:00'));
    await scheduled[0]?.fn();
    expect(calls).toEqual([{ policy, now: Date.parse('2026-03-02T03:30:00+08:00'), masked: '138****5678' }]);
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'retention purge done', ...COUNTS }));
  });

  it('logs a failed purge and does not throw at the scheduler', async () => {
    const { job, lines } = setup(true);
    await expect(job.run()).resolves.toBeNull();
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'retention purge failed; next run tomorrow', level: 50 }));
  });

  it('takes its time of day from the registry (purgeAt) and its policy from the retention section', () => {
    expect(dailyCron('00:05')).toBe('5 0 * * *');
    expect(() => dailyCron('24:00')).toThrow();
    const r = { ...cityRegistry(), retention: { callRecordsDays: 1095, callerNumberDays: 180, purgeAt: '02:10' } };
    expect(retentionPolicy(r)).toEqual({ callRecordsDays: 1095, callerNumberDays: 180 });
    expect(hasRetention(retentionPolicy(cityRegistry()))).toBe(false);
    expect(hasRetention({ auditDays: 30 })).toBe(true);
  });
});
