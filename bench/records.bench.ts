/**
 * The records database, embedded file and PostgreSQL side by side: call records written per
 * second (batches of 50 as the record writer sends them, single records, and on PostgreSQL 4
 * nodes writing at once), the daily report rebuilt from 100,000 stored records
 * (callsArrivedBetween + the real dailyReport), and the RSS the embedded database adds
 * (measured in a compiled child process, after the same workload's own garbage). PostgreSQL runs on a throwaway durable server (fsync on).
 * Targets: ≥ 2,000 records/s on PostgreSQL and ≥ 1,000/s embedded (batched); a day rebuilt in
 * ≤ 2 s; ≤ 40 MB RSS added by the embedded database.
 * Run: node --import tsx --expose-gc bench/records.bench.ts
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { openEmbedded, openPostgres } from '../src/adapters/records/index.js';
import type { RecordsDb } from '../src/app/records/records-db.js';
import { dailyReport } from '../src/app/reports/index.js';
import { metricsScope } from '../src/core/metrics/index.js';
import { createDatabase, requirePostgres, startPostgresServer } from '../test/support/postgres-server.js';
import { benchRoot } from './support/compiled.js';
import { loadExampleRegistry } from './support/example-registry.js';
import type { RssReport } from './support/records-rss-child.js';
import { dayCall, type Workload } from './support/records-workload.js';

const TARGET_PG = 2_000;
const TARGET_EMBEDDED = 1_000;
const TARGET_REBUILD_MS = 2_000;
const TARGET_RSS_MB = 40;
const BATCH = 50;
const BATCHED = 20_000;
const SINGLE = 1_000;
const PER_DAY = 100_000;

const here = dirname(fileURLToPath(import.meta.url));
const registry = await loadExampleRegistry(join(here, '..'));
if (registry.hotline.timeZone !== 'Asia/Shanghai') throw new Error('the bench day is a Shanghai day');
const scope = metricsScope(registry);
const w: Workload = {
  lines: scope.lines.map((l) => l.number),
  queues: scope.queues.map((q) => q.id),
  agents: registry.agents.map((a) => a.id),
};
const DATE = '2026-03-10';
const dayStart = Date.parse(`${DATE}T00:00:00+08:00`);
const logger = pino({ level: 'silent' });
let failed = false;

const verdict = (ok: boolean): string => {
  if (!ok) failed = true;
  return ok ? 'OK' : 'MISSED';
};

/** Records per second writing `count` records of a later day, `per` to a call, `writers` at once. */
async function writeRate(dbs: readonly RecordsDb[], count: number, per: number, prefix: string): Promise<number> {
  const start = performance.now();
  let next = 0;
  await Promise.all(dbs.map(async (db) => {
    for (;;) {
      const first = next;
      next += per;
      if (first >= count) return;
      await db.insertCalls(Array.from({ length: Math.min(per, count - first) }, (_, k) => dayCall(w, dayStart + 86_400_000, count, first + k, prefix)));
    }
  }));
  return count / ((performance.now() - start) / 1000);
}

async function loadDay(db: RecordsDb): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < PER_DAY; i += 500) {
    await db.insertCalls(Array.from({ length: 500 }, (_, k) => dayCall(w, dayStart, PER_DAY, i + k)));
  }
  return PER_DAY / ((performance.now() - start) / 1000);
}

async function rebuildDay(db: RecordsDb): Promise<{ fetchMs: number; reportMs: number; cpuMs: number; records: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const records = await db.callsArrivedBetween(dayStart, dayStart + 86_400_000);
  const t1 = performance.now();
  const report = dailyReport(records, scope, DATE, Date.now());
  const t2 = performance.now();
  if (report === null || report.records !== PER_DAY) throw new Error(`rebuilt ${report?.records ?? 0} of ${PER_DAY} records`);
  const cpu = process.cpuUsage(cpu0);
  return { fetchMs: t1 - t0, reportMs: t2 - t1, cpuMs: (cpu.user + cpu.system) / 1000, records: records.length };
}

async function measure(name: string, target: number, open: () => Promise<RecordsDb>, nodes: number): Promise<void> {
  const db = await open();
  await writeRate([db], 2_000, BATCH, 'warm');
  const batched = await writeRate([db], BATCHED, BATCH, 'b');
  const single = await writeRate([db], SINGLE, 1, 's');
  console.log(`${name}: records written, batches of ${BATCH}: ${batched.toFixed(0)}/s  (target ≥ ${target}/s) ${verdict(batched >= target)}`);
  console.log(`  one record a transaction: ${single.toFixed(0)}/s`);
  if (nodes > 1) {
    const others = await Promise.all(Array.from({ length: nodes - 1 }, open));
    const shared = await writeRate([db, ...others], BATCHED, BATCH, 'n');
    console.log(`  ${nodes} nodes writing batches of ${BATCH} at once: ${shared.toFixed(0)}/s in all`);
    await Promise.all(others.map((o) => o.close()));
  }
  const load = await loadDay(db);
  console.log(`  a day of ${PER_DAY.toLocaleString('en')} records loaded in batches of 500: ${load.toFixed(0)}/s`);
  await rebuildDay(db); // warm-up: JIT, caches
  const r = await rebuildDay(db);
  const total = r.fetchMs + r.reportMs;
  console.log(`  day rebuilt from ${r.records.toLocaleString('en')} records: ${total.toFixed(0)} ms (read ${r.fetchMs.toFixed(0)} ms + dailyReport ${r.reportMs.toFixed(0)} ms; this process's CPU ${r.cpuMs.toFixed(0)} ms)  (target ≤ ${TARGET_REBUILD_MS} ms) ${verdict(total <= TARGET_REBUILD_MS)}`);
  await db.close();
}

/**
 * The RSS child runs as the router does in production: bundled (esbuild, npm packages left as
 * imports) under plain node, since tsx alone costs a process ~50 MB (see support/compiled.ts).
 */
async function embeddedRss(file: string): Promise<RssReport> {
  const out = join(benchRoot(), 'node_modules', '.cache', 'hotline-bench', 'records-rss-child.mjs');
  const { build } = await import('esbuild');
  await build({
    entryPoints: [join(here, 'support', 'records-rss-child.ts')], outfile: out, bundle: true, platform: 'node',
    format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning',
  });
  const child = fork(out, [file, w.lines.join(','), w.queues.join(','), w.agents.join(',')], {
    execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve(m as RssReport));
    child.once('exit', (code) => reject(new Error(`rss child exited ${code}`)));
  });
}

console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
const dir = mkdtempSync(join(tmpdir(), 'hotline-records-bench-'));
try {
  await measure('embedded', TARGET_EMBEDDED, () => openEmbedded(join(dir, 'bench.db'), logger), 1);
  const rss = await embeddedRss(join(dir, 'rss.db'));
  const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);
  const added = (rss.after - rss.start) / 1024 / 1024;
  console.log(`  RSS added by the embedded database (native module, open, 100,000 written in batches of ${BATCH}, ${rss.seen.toLocaleString('en')} read back): ${added.toFixed(1)} MB  (target ≤ ${TARGET_RSS_MB} MB) ${verdict(added <= TARGET_RSS_MB)}`);
  console.log(`    process RSS ${mb(rss.start)} → ${mb(rss.after)} MB, V8 heap ${mb(rss.heapStart)} → ${mb(rss.heapAfter)} MB (compiled, plain node)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

if (requirePostgres()) {
  const server = await startPostgresServer({ durable: true });
  try {
    const url = await createDatabase(server.url, 'bench');
    await measure('postgres (fsync on)', TARGET_PG, () => openPostgres(url, logger), 4);
  } finally {
    await server.stop();
  }
}
process.exitCode = failed ? 1 : 0;
