/**
 * Measures the RSS the embedded records database adds to a process (run compiled under plain
 * node with --expose-gc, see records.bench.ts): after gc once node, the modules and the
 * workload's own garbage (generated once without a database) are in, then open a file, write 100,000 records in batches of 50, read them all back through the tail and
 * pages of the search, gc, measure again. Reports the numbers over IPC.
 */
import { pino } from 'pino';
import { openEmbedded } from '../../src/adapters/records/index.js';
import { dayCall, type Workload } from './records-workload.js';

export interface RssReport {
  readonly start: number;
  readonly after: number;
  readonly heapStart: number;
  readonly heapAfter: number;
  readonly seen: number;
}

const [file, linesArg, queuesArg, agentsArg] = process.argv.slice(2);
if (file === undefined || linesArg === undefined || queuesArg === undefined || agentsArg === undefined) throw new Error('usage: file lines queues agents');
const w: Workload = { lines: linesArg.split(','), queues: queuesArg.split(','), agents: agentsArg.split(',') };
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const settle = async (): Promise<NodeJS.MemoryUsage> => {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 50));
  }
  return process.memoryUsage();
};

const PER_DAY = 100_000;
const dayStart = Date.parse('2026-03-10T00:00:00+08:00');
// The workload's own garbage first, without a database: V8 grows its heap to carry it, and
// that growth is the bench's, not the database's.
let sink = 0;
for (let i = 0; i < PER_DAY; i += 50) {
  const batch = Array.from({ length: 50 }, (_, k) => dayCall(w, dayStart, PER_DAY, i + k));
  sink += JSON.stringify(batch).length;
  if (i % 5_000 === 0) await new Promise((r) => setImmediate(r));
}
const start = await settle();
const db = await openEmbedded(file, pino({ level: 'silent' }));
for (let i = 0; i < PER_DAY; i += 50) {
  await db.insertCalls(Array.from({ length: 50 }, (_, k) => dayCall(w, dayStart, PER_DAY, i + k)));
}
let after = 0;
let seen = 0;
for (let rows = await db.callsAfter(0, 1_000); rows.length > 0; rows = await db.callsAfter(after, 1_000)) {
  seen += rows.length;
  after = rows[rows.length - 1]?.seq ?? after;
}
let cursor: string | undefined;
for (let p = 0; p < 50; p++) {
  const page = await db.queryCalls({ queue: w.queues[0] }, 100, cursor);
  if (page.next === null) break;
  cursor = page.next;
}
const end = await settle();
const report: RssReport = { start: start.rss, after: end.rss, heapStart: start.heapTotal, heapAfter: end.heapTotal, seen: seen + (sink > 0 ? 0 : 1) };
process.send?.(report);
await db.close();
