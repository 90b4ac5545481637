/**
 * The scripted day through every published surface: /metrics (parsed exposition), /api/stats,
 * and the daily report as JSON and CSV must all show the same hand-computed numbers.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/adapters/http/app.js';
import { createMetrics, type Metrics } from '../../../src/compose/metrics.js';
import type { DailyReport, StatsSnapshot } from '../../../src/app/metrics/index.js';
import type { TransferMetrics } from '../../../src/app/transfer/ports.js';
import { CSV_COLUMNS } from '../../../src/app/reports/index.js';
import { createLogger } from '../../../src/lib/logger.js';
import { ManualClock } from '../../support/manual-clock.js';
import { shanghai } from '../../support/registry-builder.js';
import { expectKpis } from '../metrics/expect-kpis.js';
import { parseExposition, sum, value } from '../metrics/exposition.js';
import { FakeAcd, agentView, queueView, waitingCall } from '../metrics/fake-acd.js';
import { DAY, EXPECTED, dayRegistry, scriptedDay } from '../metrics/scripted-day.js';

let clock: ManualClock;
let acd: FakeAcd;
let metrics: Metrics;
let app: FastifyInstance;

beforeEach(async () => {
  clock = new ManualClock(shanghai(`${DAY} 23:00`));
  acd = new FakeAcd();
  acd.queueViews = [queueView('general', 2, 42, { ready: 1, 'on-call': 1 }), queueView('pool-24x7', 0, null, { ready: 2 })];
  acd.agentViews = [agentView('1001', 'ready'), agentView('1002', 'on-call'), agentView('1003', 'logged-out')];
  acd.waiting = [waitingCall('w1', 'general', '12345', 42), waitingCall('w2', 'general', '12319', 7)];
  metrics = createMetrics({ registry: dayRegistry(), clock, timers: clock, acd, scheduler: null, processMetrics: false });
  await metrics.start();
  for (const r of scriptedDay()) metrics.sink.add(r);
  app = await buildApp({ logger: createLogger({ level: 'silent' }), health: [], plugins: metrics.plugins });
});
afterEach(async () => {
  await app.close();
  await metrics.stop();
});

describe('GET /metrics', () => {
  it('counters, histogram and live gauges carry the scripted day', async () => {
    const r = await app.inject({ url: '/metrics' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/plain; version=0.0.4/);
    const s = parseExposition(r.body);
    const calls = (line: string, queue: string, outcome: string) => value(s, 'hotline_calls_total', { line, queue, outcome });
    expect(calls('12345', 'general', 'answered')).toBe(2);
    expect(calls('12345', 'general', 'abandoned')).toBe(1);
    expect(calls('12345', 'general', 'short-abandoned')).toBe(1);
    expect(calls('12345', 'pool-24x7', 'answered')).toBe(1);
    expect(calls('12328', 'pool-24x7', 'answered')).toBe(1);
    expect(calls('12328', 'pool-24x7', 'abandoned')).toBe(1);
    expect(calls('12328', 'traffic', 'answered')).toBe(1);
    expect(calls('12366', 'none', 'subcenter-answered')).toBe(1);
    expect(calls('12366', 'pool-24x7', 'answered')).toBe(1);
    expect(calls('12319', 'none', 'left-before-queue')).toBe(1);
    expect(calls('none', 'none', 'rejected')).toBe(1);
    expect(sum(s, 'hotline_calls_total')).toBe(13);
    // answered (12345 line) = 3, same as /api/stats
    expect(sum(s, 'hotline_calls_total', { line: '12345', outcome: 'answered' })).toBe(EXPECTED.lines['12345'].counts.answered);

    // Service level from the histogram: answered within T = bucket le=T; ASA = sum ÷ count.
    const bucket = (queue: string, le: string) => value(s, 'hotline_wait_seconds_bucket', { queue, le });
    expect(bucket('general', '15')).toBe(EXPECTED.queues.general.serviceLevel[0]);
    expect(bucket('pool-24x7', '15')).toBe(EXPECTED.queues['pool-24x7'].serviceLevel[0]);
    expect(bucket('traffic', '20')).toBe(EXPECTED.queues.traffic.serviceLevel[0]);
    expect(value(s, 'hotline_wait_seconds_count', { queue: 'general' })).toBe(3);
    expect(value(s, 'hotline_wait_seconds_sum', { queue: 'general' }) / 3).toBeCloseTo(EXPECTED.queues.general.asa, 9);
    expect(value(s, 'hotline_wait_seconds_sum', { queue: 'pool-24x7' }) / 3).toBeCloseTo(EXPECTED.queues['pool-24x7'].asa, 9);
    expect(new Set(s.filter((x) => x.name === 'hotline_wait_seconds_bucket').map((x) => x.labels.le)))
      .toEqual(new Set(['5', '10', '15', '20', '30', '60', '120', '300', '+Inf']));

    expect(value(s, 'hotline_overflows_total', { from: 'traffic', to: 'pool-24x7', reason: 'max-wait' })).toBe(2);
    expect(sum(s, 'hotline_overflows_total')).toBe(EXPECTED.total.counts.overflowed);
    expect(value(s, 'hotline_queue_skips_total', { from: 'general', to: 'pool-24x7', reason: 'closed' })).toBe(1);
    expect(value(s, 'hotline_survey_answers_total', { line: '12345', result: 'satisfied' })).toBe(2);
    expect(value(s, 'hotline_survey_answers_total', { line: '12345', result: 'basically-satisfied' })).toBe(1);
    expect(value(s, 'hotline_survey_answers_total', { line: '12328', result: 'unsatisfied' })).toBe(1);
    expect(sum(s, 'hotline_survey_answers_total', { result: 'none' })).toBe(2);
    expect(sum(s, 'hotline_transfers_total')).toBe(0);

    expect(value(s, 'hotline_calls_waiting', { queue: 'general' })).toBe(2);
    expect(value(s, 'hotline_oldest_wait_seconds', { queue: 'general' })).toBe(42);
    expect(value(s, 'hotline_oldest_wait_seconds', { queue: 'pool-24x7' })).toBe(0);
    expect(value(s, 'hotline_agents', { queue: 'general', state: 'on-call' })).toBe(1);
    expect(value(s, 'hotline_agents', { queue: 'pool-24x7', state: 'ready' })).toBe(2);
    // The pool (registry hotline.poolQueue): every state but logged-out.
    const pool = s.filter((x) => x.name === 'hotline_agents' && x.labels.queue === 'pool-24x7' && x.labels.state !== 'logged-out');
    expect(value(s, 'hotline_pool_agents_logged_in')).toBe(pool.reduce((n, x) => n + x.value, 0));
    expect(value(s, 'hotline_pool_agents_logged_in')).toBeGreaterThan(0);
    // Today's figures: the same numbers as /api/stats.
    expect(value(s, 'hotline_day_calls_counted', { line: 'all' })).toBe(EXPECTED.total.answerRate[1]);
  });

  it('transfers counted live through the transfer service’s metrics port', async () => {
    const port: TransferMetrics = metrics.transferMetrics;
    port.count('12366', 'subcenter', 'completed');
    port.count('12366', 'subcenter', 'no-answer');
    port.count('12366', 'subcenter', 'completed');
    const s = parseExposition((await app.inject({ url: '/metrics' })).body);
    expect(value(s, 'hotline_transfers_total', { target: '12366', outcome: 'completed' })).toBe(2);
    expect(value(s, 'hotline_transfers_total', { target: '12366', outcome: 'no-answer' })).toBe(1);
  });

  it('one ACD read per scrape for the three live gauges', async () => {
    acd.calls = 0;
    await app.inject({ url: '/metrics' });
    expect(acd.calls).toBe(1);
  });
});

describe('GET /api/stats', () => {
  it('today’s figures per line and queue, with live gauges', async () => {
    const r = await app.inject({ url: '/api/stats' });
    expect(r.statusCode).toBe(200);
    const snap = r.json<StatsSnapshot>();
    expect(snap).toMatchObject({ timeZone: 'Asia/Shanghai', date: DAY, at: new Date(clock.now()).toISOString() });
    expectKpis(snap.total, EXPECTED.total);
    for (const [line, e] of Object.entries(EXPECTED.lines)) {
      const l = snap.lines.find((x) => x.line === line);
      if (l === undefined) throw new Error(`no line ${line}`);
      expectKpis(l, e);
      expect([l.abandoned, l.overflowed, l.asa]).toEqual([l.counts.abandoned, l.counts.overflowed, l.wait.asa]);
    }
    for (const [queue, e] of Object.entries(EXPECTED.queues)) {
      const q = snap.queues.find((x) => x.queue === queue);
      if (q === undefined) throw new Error(`no queue ${queue}`);
      expectKpis(q, e);
    }
    expect(snap.lines.find((l) => l.line === '12345')).toMatchObject({ waitingNow: 1, longestWaitSeconds: 42 });
    expect(snap.lines.find((l) => l.line === '12328')).toMatchObject({ waitingNow: 0, longestWaitSeconds: null });
    expect(snap.queues.find((q) => q.queue === 'general')).toMatchObject({ waitingNow: 2, longestWaitSeconds: 42, open: true, agents: { 'on-call': 1, ready: 1 } });
    expect(snap.agents).toEqual({ total: 3, byState: { 'logged-out': 1, ready: 1, reserved: 0, ringing: 0, 'on-call': 1, 'wrap-up': 0, 'not-ready': 0 } });
    expect(snap.hourly).toHaveLength(24);
    expect(snap.hourly[9]).toMatchObject({ hour: 9, offered: 4, avgWaitSeconds: 22 });
  });
});

describe('daily report', () => {
  async function report(): Promise<void> {
    await clock.tickTo(shanghai('2026-03-11 00:05'));
    expect(metrics.reports.previousDay()).toBe(DAY);
    await metrics.reports.run();
  }

  it('JSON: the same numbers, recomputed from the day’s records', async () => {
    await report();
    const r = await app.inject({ url: `/api/reports/daily?date=${DAY}` });
    expect(r.statusCode).toBe(200);
    const rep = r.json<DailyReport>();
    expect(rep).toMatchObject({ date: DAY, timeZone: 'Asia/Shanghai', records: 12 });
    expectKpis(rep.total, EXPECTED.total);
    for (const [line, e] of Object.entries(EXPECTED.lines)) expectKpis(rep.lines.find((x) => x.line === line) ?? rep.total, e);
    for (const [queue, e] of Object.entries(EXPECTED.queues)) expectKpis(rep.queues.find((x) => x.queue === queue) ?? rep.total, e);
  });

  it('CSV: header row, UTF-8 BOM, attachment, the same numbers', async () => {
    await report();
    const r = await app.inject({ url: `/api/reports/daily?date=${DAY}&format=csv` });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(r.headers['content-disposition']).toBe(`attachment; filename="hotline-daily-${DAY}.csv"`);
    expect(r.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const [header, ...rows] = r.body.slice(1).trimEnd().split('\r\n');
    expect(header).toBe(CSV_COLUMNS.join(','));
    const table = rows.map((row) => Object.fromEntries(row.split(',').map((c, i) => [CSV_COLUMNS[i] ?? '?', c])));
    expect(table.map((t) => `${t.scope}:${t.id}`)).toEqual([
      'total:all', 'line:12345', 'line:12319', 'line:12328', 'line:96580', 'line:12366',
      'queue:general', 'queue:pool-24x7', 'queue:traffic', 'queue:overseas',
    ]);
    const total = table[0] ?? {};
    expect(total).toMatchObject({ calls: '12', offered: '11', answered: '8', answer_rate_numerator: '8', answer_rate_denominator: '11',
      service_level: '0.5', asa_seconds: '28.5', wait_p50_seconds: '10', wait_p90_seconds: '130', satisfaction_rate: '0.8' });
    expect(table.find((t) => t.id === 'general')).toMatchObject({ name: '12345 综合', offered: '5', skipped: '1', answer_rate: '0.75', service_level_numerator: '2' });
    expect(table.find((t) => t.id === 'traffic')).toMatchObject({ service_level_seconds: '20', overflowed: '2', service_level: '0.333333' });
    expect(table.find((t) => t.id === '96580')).toMatchObject({ answer_rate: '', asa_seconds: '' });
  });

  it('a day without data is 404 HOTLINE_ERR_REPORT_NOT_FOUND; a malformed date 400 HOTLINE_ERR_BAD_DATE', async () => {
    await report();
    const none = await app.inject({ url: '/api/reports/daily?date=2026-03-09' });
    expect(none.statusCode).toBe(404);
    expect(none.json()).toMatchObject({ code: 'HOTLINE_ERR_REPORT_NOT_FOUND' });
    for (const bad of ['2026-3-10', '2026-02-30', 'yesterday', '../../etc/passwd']) {
      const r = await app.inject({ url: `/api/reports/daily?date=${encodeURIComponent(bad)}` });
      expect(r.statusCode, bad).toBe(400);
      expect(r.json()).toMatchObject({ code: 'HOTLINE_ERR_BAD_DATE' });
    }
    expect((await app.inject({ url: '/api/reports/daily' })).json()).toMatchObject({ code: 'HOTLINE_ERR_BAD_DATE' });
    expect((await app.inject({ url: `/api/reports/daily?date=${DAY}&format=xls` })).statusCode).toBe(400);
  });
});
