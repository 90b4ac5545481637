/**
 * One set of figures for the whole center, over one records database (in memory here; the
 * process-level tests run the real ones): two nodes that each carried half the calls show the
 * same stats and report, equal to one node that carried them all; a node started mid-day
 * rebuilds the day before it serves; Prometheus counters stay per node.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics, type Metrics } from '../../../src/compose/metrics.js';
import { RecordWriter } from '../../../src/app/records/record-writer.js';
import { latestSeq } from '../../../src/app/metrics/records-tail.js';
import type { CallRecord } from '../../../src/app/records/index.js';
import { ManualClock } from '../../support/manual-clock.js';
import { MemoryRecordsDb } from '../../support/memory-records-db.js';
import { shanghai } from '../../support/registry-builder.js';
import { parseExposition, sum } from './exposition.js';
import { FakeAcd } from './fake-acd.js';
import { DAY, dayRegistry, record, scriptedDay } from './scripted-day.js';

interface Node { metrics: Metrics; writer: RecordWriter }

const started: Metrics[] = [];
afterEach(async () => {
  for (const m of started.splice(0)) await m.stop();
});

async function node(name: string, db: MemoryRecordsDb, clock: ManualClock): Promise<Node> {
  const metrics = createMetrics({
    registry: dayRegistry(), clock, timers: clock, acd: new FakeAcd(), scheduler: null, processMetrics: false, shared: { db },
  });
  await metrics.start();
  started.push(metrics);
  const writer = new RecordWriter({ db, node: name, clock, timers: clock, onStored: () => metrics.tail?.poke() });
  return { metrics, writer };
}

async function reference(records: readonly CallRecord[], clock: ManualClock): Promise<Metrics> {
  const m = createMetrics({ registry: dayRegistry(), clock, timers: clock, acd: new FakeAcd(), scheduler: null, processMetrics: false });
  await m.start();
  started.push(m);
  for (const r of records) m.sink.add(r);
  return m;
}

/** What a manager reads, without the instant it was read. */
async function figures(m: Metrics) {
  const s = await m.snapshot();
  return { date: s.date, total: s.total, lines: s.lines, queues: s.queues, hourly: s.hourly };
}

async function settled(...nodes: Node[]): Promise<void> {
  for (const n of nodes) await n.writer.drained();
  for (const n of nodes) await n.metrics.tail?.run();
}

async function promCalls(m: Metrics): Promise<number> {
  return sum(parseExposition(await m.prometheus.metrics()), 'hotline_calls_total');
}

describe('shared figures', () => {
  it('two nodes each carrying half the calls show the same figures, equal to one node carrying all', async () => {
    const clock = new ManualClock(shanghai(`${DAY} 23:00`));
    const db = new MemoryRecordsDb();
    const a = await node('a', db, clock);
    const b = await node('b', db, clock);
    const day = scriptedDay();
    day.forEach((r, i) => { const n = i % 2 === 0 ? a : b; n.metrics.sink.add(r); n.writer.add(r); });
    await settled(a, b);

    const expected = await figures(await reference(day, clock));
    expect(expected.total.counts.calls).toBe(12); // the rejected call is no call of a line
    expect(await figures(a.metrics)).toEqual(expected);
    expect(await figures(b.metrics)).toEqual(expected);
    // Prometheus: per node, the sum across instances is the center
    expect([await promCalls(a.metrics), await promCalls(b.metrics)]).toEqual([7, 6]);
  });

  it('the tail alone (no poke) brings the other node\'s calls within one poll', async () => {
    const clock = new ManualClock(shanghai(`${DAY} 23:00`));
    const db = new MemoryRecordsDb();
    const a = await node('a', db, clock);
    const b = await node('b', db, clock);
    const other = new RecordWriter({ db, node: 'c', clock, timers: clock });
    for (const r of scriptedDay()) other.add(r);
    await other.drained();
    expect((await figures(a.metrics)).total.counts.calls).toBe(0);
    await clock.tick(1000);
    await settled(a, b);
    expect((await figures(a.metrics)).total.counts.calls).toBe(12);
    expect((await figures(b.metrics)).total.counts.calls).toBe(12);
  });

  it('a node started mid-day rebuilds the day before it serves, and a record seen twice counts once', async () => {
    const clock = new ManualClock(shanghai(`${DAY} 23:00`));
    const db = new MemoryRecordsDb();
    const day = scriptedDay();
    const first = await node('a', db, clock);
    for (const r of day.slice(0, 7)) first.writer.add(r);
    await settled(first);
    // yesterday's calls in the database are not today's
    await db.insertCalls([{ record: record('old', { line: '12345', at: '09:00', queue: 'general', prompt: 1, wait: 1, outcome: 'answered' }, '2026-03-09'), node: 'a' }]);

    const restarted = await node('a', db, clock);
    expect((await figures(restarted.metrics)).total.counts.calls).toBe(7);
    for (const r of day.slice(5)) restarted.writer.add(r); // c6, c7 again: a retry after a timeout
    await settled(restarted);
    expect(await figures(restarted.metrics)).toEqual(await figures(await reference(day, clock)));
  });

  it('the daily report is computed from the database by any node and read the same from every node', async () => {
    const clock = new ManualClock(shanghai('2026-03-11 00:05'));
    const db = new MemoryRecordsDb();
    const a = await node('a', db, clock);
    const b = await node('b', db, clock);
    scriptedDay().forEach((r, i) => (i % 2 === 0 ? a : b).writer.add(r));
    await settled(a, b);
    await b.metrics.reports.run();
    await a.metrics.reports.run(); // a second node's run replaces it with the same figures
    const fromA = await a.metrics.reportStore.get(DAY);
    const fromB = await b.metrics.reportStore.get(DAY);
    expect(fromA).toEqual(fromB);
    const ref = await reference(scriptedDay(), new ManualClock(shanghai(`${DAY} 23:00`)));
    const expected = await ref.reports.runFor(DAY);
    expect({ ...fromA, generatedAt: '' }).toEqual({ ...expected, generatedAt: '' });
  });

  it('after midnight the new day starts from the database, and late rows of yesterday stay out', async () => {
    const clock = new ManualClock(shanghai(`${DAY} 23:59`));
    const db = new MemoryRecordsDb();
    const a = await node('a', db, clock);
    for (const r of scriptedDay()) a.writer.add(r);
    await settled(a);
    // a call of the new day stored before this node's midnight timer fired
    const early = record('n1', { line: '12345', at: '00:00', queue: 'general', prompt: 1, wait: 2, outcome: 'answered' }, '2026-03-11');
    await db.insertCalls([{ record: early, node: 'b' }]);
    await clock.tick(60_000);
    await a.metrics.tail?.run();
    const f = await figures(a.metrics);
    expect(f.date).toBe('2026-03-11');
    expect(f.total.counts.calls).toBe(1);
  });

  it('latestSeq finds the highest seq with a handful of reads', async () => {
    const db = new MemoryRecordsDb();
    expect(await latestSeq(db)).toBe(0);
    const clock = new ManualClock(shanghai(`${DAY} 23:00`));
    const w = new RecordWriter({ db, node: 'a', clock, timers: clock, batchSize: 500, capacity: 2000 });
    for (let i = 0; i < 1234; i += 1) w.add(record(`x${i}`, { line: '12345', at: '09:00', wait: 1, outcome: 'rejected' }));
    await w.drained();
    expect(await latestSeq(db)).toBe(1234);
  });

  it.each([[[5]], [[3, 7, 8, 100, 1000]], [[1, 2, 3, 4, 5, 6, 7, 8]], [[2, 4097]]])('latestSeq over seqs with gaps %j', async (seqs) => {
    let reads = 0;
    const source = {
      callsAfter: (after: number, limit: number) => {
        reads += 1;
        return Promise.resolve(seqs.filter((q) => q > after).slice(0, limit).map((seq) => ({ seq, node: 'a', record: record(`s${seq}`, { at: '09:00', wait: 0, outcome: 'rejected' }) })));
      },
    };
    expect(await latestSeq(source)).toBe(seqs.at(-1));
    expect(reads).toBeLessThan(30);
  });
});
