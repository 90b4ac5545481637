/** RecordWriter / RetryBuffer over a fake records database: down then up, the bound, order, the journal. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileRecordJournal } from '../../../src/adapters/journal/file-journal.js';
import { RecordWriter } from '../../../src/app/records/record-writer.js';
import type { CallRecord } from '../../../src/core/call/index.js';
import { ManualClock, settle } from '../../support/manual-clock.js';
import { MemoryRecordsDb } from '../../support/memory-records-db.js';

const T0 = Date.parse('2026-03-03T02:00:00Z');

function record(n: number): CallRecord {
  return {
    callSid: `call-${n}`, fsUuid: `fs-${n}`, caller: '13812345678', line: '12345', mode: 'dual', queue: 'general', hops: [],
    arrivedAt: T0 + n * 1000, queuedAt: T0 + n * 1000, answeredAt: T0 + n * 1000 + 5000, agentId: '1001', agentsTried: ['1001'],
    endedAt: T0 + n * 1000 + 60_000, outcome: 'answered', waitSeconds: 5, waitFromArrivalSeconds: 5, survey: 'satisfied', hangupCause: 'NORMAL_CLEARING',
  };
}

const sids = (db: MemoryRecordsDb) => db.calls.map((c) => c.record.callSid);

/** A writer over a database that is down until the test brings it up. */
function downWriter(capacity: number): { clock: ManualClock; db: MemoryRecordsDb; w: RecordWriter } {
  const clock = new ManualClock(T0);
  const db = new MemoryRecordsDb();
  db.down = true;
  return { clock, db, w: new RecordWriter({ db, node: 'n', clock, timers: clock, batchSize: 2, capacity }) };
}

describe('RecordWriter', () => {
  it('writes each finished call once, in batches, with the node; the tail is poked after each batch', async () => {
    const clock = new ManualClock(T0);
    const db = new MemoryRecordsDb();
    const stored: number[] = [];
    const w = new RecordWriter({ db, node: 'node-a', clock, timers: clock, batchSize: 3, capacity: 10, onStored: (b) => stored.push(b.length) });
    for (let i = 1; i <= 5; i += 1) w.add(record(i));
    await w.drained();
    expect(sids(db)).toEqual(['call-1', 'call-2', 'call-3', 'call-4', 'call-5']);
    // the first record goes at once; the rest gathered while it was in flight, by batchSize
    expect(db.batches).toEqual([['call-1'], ['call-2', 'call-3', 'call-4'], ['call-5']]);
    expect(stored).toEqual([1, 3, 1]);
    expect(db.calls.every((c) => c.node === 'node-a')).toBe(true);
  });

  it('database down: nothing blocks, records wait and are written oldest first with backoff when it is back', async () => {
    const { clock, db, w } = downWriter(100);
    w.add(record(1));
    await settle();
    // attempt 1 failed: retry armed 100 ms later, doubling
    expect(clock.armed()).toEqual([T0 + 100]);
    for (let i = 2; i <= 5; i += 1) w.add(record(i));
    await clock.tick(100);
    expect(clock.armed()).toEqual([T0 + 100 + 200]);
    await clock.tick(200);
    expect(clock.armed()).toEqual([T0 + 300 + 400]);
    expect(w.stats).toMatchObject({ pending: 5, written: 0, failures: 3, failing: 3, dropped: 0 });
    db.down = false;
    await clock.tick(400);
    await w.drained();
    expect(sids(db)).toEqual(['call-1', 'call-2', 'call-3', 'call-4', 'call-5']);
    expect(w.stats).toMatchObject({ pending: 0, written: 5, failing: 0 });
    expect(clock.armed()).toEqual([]);
  });

  it('the backoff stops doubling at its ceiling', async () => {
    const { clock, w } = downWriter(10);
    w.add(record(1));
    await settle();
    const gaps: number[] = [];
    for (let i = 0; i < 9; i += 1) {
      const next = clock.armed()[0] ?? 0;
      gaps.push(next - clock.now());
      await clock.tick(next - clock.now());
    }
    expect(gaps).toEqual([100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000]);
  });

  it('past the bound the oldest waiting records are dropped and counted; the newest are kept', async () => {
    const { clock, db, w } = downWriter(4);
    w.add(record(1));
    w.add(record(2));
    await settle();
    for (let i = 3; i <= 7; i += 1) w.add(record(i));
    expect(w.stats).toMatchObject({ pending: 4, dropped: 3 });
    db.down = false;
    await clock.tick(100);
    await w.drained();
    expect(sids(db)).toEqual(['call-4', 'call-5', 'call-6', 'call-7']);
  });

  it('close writes what is left until the deadline and reports what it could not', async () => {
    const { clock, w } = downWriter(10);
    w.add(record(1));
    await settle();
    const closing = w.close(T0 + 1000);
    await clock.tick(1000);
    expect(await closing).toBe(1);
    expect(clock.armed()).toEqual([]);
  });
});

describe('RecordWriter with a journal', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('a record the database never got is in the journal and is written by the next run', async () => {
    dir = await mkdtemp(join(tmpdir(), 'journal-'));
    const file = join(dir, 'records.jsonl');
    const clock = new ManualClock(T0);
    const db = new MemoryRecordsDb();
    db.down = true;
    const journal = new FileRecordJournal(file);
    const first = new RecordWriter({ db, node: 'n', clock, timers: clock, batchSize: 2, capacity: 10, journal });
    first.add(record(1));
    first.add(record(2));
    // operations run in order: once a load answers, both appends are on disk
    expect((await journal.load()).map((c) => c.record.callSid)).toEqual(['call-1', 'call-2']);
    // the process dies here: nothing closes `first`

    db.down = false;
    const second = new RecordWriter({ db, node: 'n', clock, timers: clock, batchSize: 2, capacity: 10, journal: new FileRecordJournal(file) });
    expect(await second.recover()).toBe(2);
    await second.drained();
    expect(sids(db)).toEqual(['call-1', 'call-2']);
    expect(db.calls[0]?.record.caller).toBe('13812345678');
    await second.close(T0);
    expect(await readFile(file, 'utf8')).toBe('');
  });

  it('a torn last line is skipped; a replay of stored records changes nothing', async () => {
    dir = await mkdtemp(join(tmpdir(), 'journal-'));
    const file = join(dir, 'records.jsonl');
    const j = new FileRecordJournal(file);
    await j.append([{ record: record(1), node: 'n' }]);
    await j.close();
    const { appendFile } = await import('node:fs/promises');
    await appendFile(file, '{"record":{"callSid":"call-2"');
    const clock = new ManualClock(T0);
    const db = new MemoryRecordsDb();
    await db.insertCalls([{ record: record(1), node: 'n' }]);
    const w = new RecordWriter({ db, node: 'n', clock, timers: clock, batchSize: 2, capacity: 10, journal: new FileRecordJournal(file) });
    expect(await w.recover()).toBe(1);
    await w.drained();
    expect(sids(db)).toEqual(['call-1']);
    await w.close(T0);
  });
});
