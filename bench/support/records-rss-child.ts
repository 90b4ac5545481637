/**
 * Measures the RSS the embedded records database adds to a process: baseline after gc, then
 * load the adapter, open a file, write 100,000 records in batches of 50 and read them back
 * through the tail and the search in pages, gc, measure again. Reports { before, after } over IPC.
 */
import { pino } from 'pino';
import { dayCall, type Workload } from './records-workload.js';

const [file, linesArg, queuesArg, agentsArg] = process.argv.slice(2);
if (file === undefined || linesArg === undefined || queuesArg === undefined || agentsArg === undefined) throw new Error('usage: file lines queues agents');
const w: Workload = { lines: linesArg.split(','), queues: queuesArg.split(','), agents: agentsArg.split(',') };
const logger = pino({ level: 'silent' });
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const settle = async (): Promise<number> => {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 50));
  }
  return process.memoryUsage().rss;
};

const before = await settle();
const { openEmbedded } = await import('../../src/adapters/records/index.js');
const db = await openEmbedded(file, logger);
const PER_DAY = 100_000;
const dayStart = Date.parse('2026-03-10T00:00:00+08:00');
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
const rss = await settle();
process.send?.({ before, after: rss, seen });
await db.close();
