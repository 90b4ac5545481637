/**
 * The issue's two-node test: two `hotline serve` processes on one Redis (the ACD) and one
 * PostgreSQL (the records), callers split across them. Both nodes' /api/stats figures are
 * identical and equal the aggregate of all calls' records; each node's Prometheus counters
 * count its own calls (their sum is the center); the daily report, computed once from the
 * database, reads the same from both nodes.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openPostgres } from '../../../src/adapters/records/index.js';
import { DatabaseDayRecords, DatabaseReportStore, DailyReportJob, dailyReport } from '../../../src/app/reports/index.js';
import { metricsScope } from '../../../src/core/metrics/index.js';
import { zoneOf } from '../../../src/core/schedule/index.js';
import { loadRegistryFile } from '../../../src/config/load.js';
import { createLogger } from '../../../src/lib/logger.js';
import { createDatabase } from '../../support/postgres-server.js';
import { requireRedisServer, startRedisServer, type RedisServer } from '../../support/redis-server.js';
import { repoRoot } from '../../support/run-cli.js';
import { until } from '../cluster/in-process.js';
import { parseExposition, sum } from '../../unit/metrics/exposition.js';
import { TOKEN, agentsAtDesks, caller, figures, records, running, serve, stored, type Served } from './served.js';

const pgServer = inject('postgresUrl');
const built = existsSync(new URL('../../../dist/cli.js', import.meta.url));

function nodeDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hotline-node-'));
  writeFileSync(join(dir, 'tokens.json'), JSON.stringify([{ token: TOKEN, role: 'admin', name: 'two-nodes-test' }]), { mode: 0o600 });
  return dir;
}

async function ownCalls(s: Served): Promise<number> {
  const text = await (await fetch(`${s.base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
  return sum(parseExposition(text), 'hotline_calls_total');
}

describe.skipIf(!built || pgServer === '' || !requireRedisServer())('two router nodes on one Redis and one PostgreSQL', () => {
  let redis: RedisServer;
  beforeAll(async () => { redis = await startRedisServer(); });
  afterAll(async () => {
    for (const s of [...running]) await s.kill('SIGKILL');
    await redis.stop();
  });

  it('calls split across the nodes: both show the same figures, equal to all the calls; reports identical', async () => {
    const databaseUrl = await createDatabase(pgServer, 'twonodes');
    const dirs = [nodeDir(), nodeDir()];
    const [a, b] = await Promise.all(dirs.map((dir) => serve(dir, {
      REDIS_URL: redis.url, DATABASE_URL: databaseUrl, RECORDS_JOURNAL: join(dir, 'journal.jsonl'),
    }))) as [Served, Served];
    await agentsAtDesks(a, ['1001', '1002']);
    const dialled: string[] = [];
    for (const hold of ['welcome', 200, 5_600] as const) dialled.push(await caller(a, hold));
    for (const hold of [6_500, 'welcome', 200] as const) dialled.push(await caller(b, hold));
    // Node B's health says whether its records are waiting for the database (written late) or were never kept.
    await stored(a, 6).catch(async (err: unknown) => {
      throw new Error(`${(err as Error).message}; node B /health: ${await (await fetch(`${b.base}/health`)).text()}`, { cause: err });
    });
    const all = await records(b);
    expect(all.map((r) => r.fsUuid).sort()).toEqual([...dialled].sort());
    expect(new Set(all.map((r) => (r as unknown as { node: string }).node)).size).toBe(2);

    await until('both nodes count all six', async () =>
      ((await figures(a)).total as { counts: { calls: number } }).counts.calls === 6
      && ((await figures(b)).total as { counts: { calls: number } }).counts.calls === 6, 10_000);
    const fa = await figures(a);
    expect(await figures(b)).toEqual(fa);
    const loaded = await loadRegistryFile(join(repoRoot, 'config/hotline.example.yaml'));
    if (!loaded.ok) throw new Error('example registry does not load');
    const scope = metricsScope(loaded.registry);
    const center = dailyReport(all, scope, fa.date, 0);
    expect(fa.total).toEqual(center?.total);
    expect(fa.hourly).toEqual(center?.hourly);
    // per node counters: each its own three, the sum is the center
    expect([await ownCalls(a), await ownCalls(b)]).toEqual([3, 3]);

    // the 00:05 job run once against the shared database; both nodes serve its report
    const db = await openPostgres(databaseUrl, createLogger({ level: 'silent' }));
    try {
      const job = new DailyReportJob({ scope, clock: { now: () => Date.now() }, records: new DatabaseDayRecords(db, zoneOf(scope.timeZone)), store: new DatabaseReportStore(db) });
      await job.runFor(fa.date);
    } finally {
      await db.close();
    }
    const report = async (s: Served) => (await fetch(`${s.base}/api/reports/daily?date=${fa.date}`, { headers: { authorization: `Bearer ${TOKEN}` } })).json() as Promise<Record<string, unknown>>;
    const [ra, rb] = [await report(a), await report(b)];
    expect(ra).toEqual(rb);
    expect(ra.total).toEqual(center?.total);
  }, 180_000);
});
