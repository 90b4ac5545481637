import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import cron from 'node-cron';
import { afterEach, describe, expect, it } from 'vitest';
import { FileReportStore } from '../../../src/adapters/metrics/index.js';
import { cronScheduler } from '../../../src/adapters/scheduler/cron-scheduler.js';
import { DAILY_REPORT_CRON, DailyReportJob, MemoryReportStore, dailyReport, isIsoDate, type Scheduler } from '../../../src/app/reports/index.js';
import { metricsScope } from '../../../src/core/metrics/index.js';
import { ManualClock } from '../../support/manual-clock.js';
import { shanghai } from '../../support/registry-builder.js';
import { DAY, dayRegistry, scriptedDay } from '../metrics/scripted-day.js';

const scope = metricsScope(dayRegistry());
let dir: string | undefined;
afterEach(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('daily report', () => {
  it('is a pure function of the day’s records: the same input gives the same report; other days’ records are ignored', () => {
    const records = [...scriptedDay(), ...scriptedDay('2026-03-11')];
    const a = dailyReport(records, scope, DAY, 0);
    const b = dailyReport([...records].reverse(), scope, DAY, 0);
    expect(a).toEqual(b);
    expect(a?.records).toBe(12);
    expect(dailyReport(records, scope, '2026-03-09', 0)).toBeNull();
  });

  it('the job reports the previous local day, stores it, and logs instead of throwing', async () => {
    const clock = new ManualClock(shanghai('2026-03-11 00:05'));
    const store = new MemoryReportStore();
    const job = new DailyReportJob({ scope, clock, records: { byDay: (d) => scriptedDay().filter(() => d === DAY) }, store });
    expect(job.previousDay()).toBe(DAY);
    // 00:05 local is 16:05Z the day before: the UTC date would be wrong.
    expect(job.previousDay(Date.parse('2026-03-10T16:05:00Z'))).toBe(DAY);
    await job.run();
    expect((await store.get(DAY))?.total.counts.calls).toBe(12);

    const errors: object[] = [];
    const failing = new DailyReportJob({ scope, clock, records: { byDay: () => { throw new Error('store down'); } }, store,
      log: { warn: () => undefined, error: (o) => { errors.push(o); } } });
    await failing.run();
    expect(errors).toHaveLength(1);
  });

  it('is scheduled at 00:05 in the hotline time zone', () => {
    const calls: [string, string][] = [];
    const fake: Scheduler = { schedule: (e, tz) => { calls.push([e, tz]); return () => undefined; } };
    const job = new DailyReportJob({ scope, clock: new ManualClock(0), records: { byDay: () => [] }, store: new MemoryReportStore() });
    job.schedule(fake);
    expect(calls).toEqual([['5 0 * * *', 'Asia/Shanghai']]);
  });

  it('node-cron scheduler: 00:05 Asia/Shanghai is 16:05Z; invalid expressions refused; stop cleans up', () => {
    const probe = cron.createTask(DAILY_REPORT_CRON, () => undefined, { timezone: 'Asia/Shanghai' });
    const [next] = probe.getNextRuns(1);
    void probe.destroy();
    expect([next?.getUTCHours(), next?.getUTCMinutes()]).toEqual([16, 5]);
    let stop: (() => void) | undefined;
    try {
      stop = cronScheduler.schedule(DAILY_REPORT_CRON, 'Asia/Shanghai', () => Promise.resolve());
      expect(() => cronScheduler.schedule('61 * * * *', 'Asia/Shanghai', () => Promise.resolve())).toThrow(/invalid cron/);
    } finally {
      stop?.();
    }
  });

  it('file store: YYYY-MM-DD.json under the directory, null for a missing day, no path escape', async () => {
    dir = await mkdtemp(join(tmpdir(), 'reports-'));
    const store = new FileReportStore(join(dir, 'reports'));
    const report = dailyReport(scriptedDay(), scope, DAY, shanghai('2026-03-11 00:05'));
    if (report === null) throw new Error('no report');
    await store.put(report);
    expect(JSON.parse(await readFile(join(dir, 'reports', `${DAY}.json`), 'utf8'))).toEqual(report);
    expect(await store.get(DAY)).toEqual(report);
    expect(await store.get('2026-03-09')).toBeNull();
    expect(await store.get('../../etc/passwd')).toBeNull();
  });

  it('dates', () => {
    expect(['2026-03-10', '2024-02-29'].map(isIsoDate)).toEqual([true, true]);
    expect(['2026-02-29', '2026-13-01', '2026-3-1', '', '2026-03-10x'].map(isIsoDate)).toEqual([false, false, false, false, false]);
  });
});
