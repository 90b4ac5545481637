/**
 * The issue's restart test, as an operator would see it: `hotline serve` (the built binary) on
 * an embedded records file, a scripted day of calls dialled in over the wire by the FreeSWITCH
 * test peer (answered with a survey, and callers who hang up during the welcome), SIGKILL
 * mid-day with a caller still in line, a restart on the same file, more calls. The restarted
 * node's /api/stats must equal what the killed node showed, nothing that had ended may be
 * missing, and after the day /api/stats and the daily report (computed from the file by the
 * 00:05 job) must equal the figures of an uninterrupted run: the aggregate of every call's
 * record, computed here with the same pure function.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openEmbedded } from '../../../src/adapters/records/index.js';
import { DatabaseDayRecords, DailyReportJob, MemoryReportStore, dailyReport } from '../../../src/app/reports/index.js';
import type { CallRecord } from '../../../src/core/call/index.js';
import { metricsScope } from '../../../src/core/metrics/index.js';
import { zoneOf } from '../../../src/core/schedule/index.js';
import { loadRegistryFile } from '../../../src/config/load.js';
import { createLogger } from '../../../src/lib/logger.js';
import { freePort } from '../../support/redis-server.js';
import { repoRoot } from '../../support/run-cli.js';
import { dialPeer } from '../call/harness.js';
import { until } from '../cluster/in-process.js';

const bin = fileURLToPath(new URL('../../../bin/hotline.js', import.meta.url));
const TOKEN = 'restart-test-admin-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };

interface Served {
  readonly child: ChildProcess;
  readonly base: string;
  readonly outbound: { host: string; port: number };
  kill(signal: NodeJS.Signals): Promise<void>;
}

const running = new Set<Served>();

async function serve(dir: string): Promise<Served> {
  const port = await freePort();
  const outbound = { host: '127.0.0.1', port: await freePort() };
  const child = spawn(process.execPath, [bin, 'serve'], {
    cwd: repoRoot, detached: true, stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      PATH: process.env.PATH ?? '', HTTP_HOST: '127.0.0.1', HTTP_PORT: String(port), OUTBOUND_HOST: outbound.host,
      OUTBOUND_PORT: String(outbound.port), LOG_LEVEL: 'warn', RECORDS_FILE: join(dir, 'records.db'),
      HOTLINE_TOKENS_FILE: join(dir, 'tokens.json'), PROMPTS_DIR: join(dir, 'prompts'), REPORTS_DIR: join(dir, 'reports'), DRAIN_SECONDS: '1',
    },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const served: Served = {
    child, base: `http://127.0.0.1:${port}`, outbound,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) process.kill(-child.pid, signal);
      await exited;
      running.delete(served);
    },
  };
  running.add(served);
  await until('router up', async () => (await fetch(`${served.base}/health`).catch(() => null)) !== null, 30_000);
  return served;
}

async function api<T>(s: Served, path: string, method = 'GET'): Promise<T> {
  const r = await fetch(`${s.base}${path}`, { method, headers: auth });
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
  return await r.json() as T;
}

interface Stats { date: string; total: unknown; lines: unknown; queues: unknown; hourly: unknown }
/** What a manager reads, without the instant and the live parts (waiting now, agents). */
async function figures(s: Served) {
  const st = await api<Stats & { lines: { line: string; waitingNow?: unknown; longestWaitSeconds?: unknown }[]; queues: Record<string, unknown>[] }>(s, '/api/stats');
  const strip = (o: Record<string, unknown>) => {
    const { waitingNow: _w, longestWaitSeconds: _l, open: _o, agents: _a, ...rest } = o;
    return rest;
  };
  return { date: st.date, total: st.total, hourly: st.hourly, lines: st.lines.map((l) => strip(l)), queues: st.queues.map((q) => strip(q)) };
}

/** Until the node has stored `n` records (the last listing is in the error otherwise). */
async function stored(s: Served, n: number): Promise<void> {
  let last: CallRecord[] = [];
  try {
    await until(`${n} records stored`, async () => (last = await records(s)).length === n, 20_000);
  } catch (err) {
    throw new Error(`${(err as Error).message}: ${JSON.stringify(last.map((r) => [r.fsUuid, r.outcome]))}`, { cause: err });
  }
}

async function records(s: Served): Promise<CallRecord[]> {
  const out: CallRecord[] = [];
  let cursor: string | null = null;
  do {
    const page: { records: CallRecord[]; next: string | null } = await api(s, `/api/records?limit=100${cursor === null ? '' : `&cursor=${cursor}`}`);
    out.push(...page.records);
    cursor = page.next;
  } while (cursor !== null);
  return out;
}

/** Agents at their desks but not ready: callers wait in line (the queue admits them) until they give up. */
async function agentsAtDesks(s: Served, ids: readonly string[]): Promise<void> {
  for (const id of ids) await api(s, `/api/agents/${id}/login`, 'POST');
}

/**
 * One caller: hangs up during the welcome (`left-before-queue`), or after `holdMs` of hold music
 * (abandoned; short-abandoned under the registry's 5 s).
 */
async function caller(s: Served, holdMs: number | 'welcome'): Promise<string> {
  const peer = await dialPeer(s.outbound, { bridge: 'answer' });
  // Before any byte from the router is read: a welcome that lasts until the caller hangs up, so
  // a caller leaving during it is never in the queue, however slow the machine.
  if (holdMs === 'welcome') {
    peer.call.app('playback', async (ctx) => {
      if (ctx.arg.endsWith('welcome.wav') || ctx.arg.startsWith('local_stream://')) await ctx.hungUp;
      return 'FILE PLAYED';
    });
  }
  const holding = () => peer.timeline.includes('playback local_stream://moh');
  const welcome = () => peer.timeline.some((t) => t.startsWith('playback ') && t.endsWith('welcome.wav'));
  await until(holdMs === 'welcome' ? 'welcome playing' : 'hold music', holdMs === 'welcome' ? welcome : holding, 15_000);
  if (holdMs !== 'welcome') await new Promise((r) => setTimeout(r, holdMs));
  await peer.call.hangup();
  return peer.call.uuid;
}

const built = existsSync(new URL('../../../dist/cli.js', import.meta.url));

describe.skipIf(!built)('restart on the same embedded records file', () => {
  afterAll(async () => {
    for (const s of [...running]) await s.kill('SIGKILL');
  });

  it('SIGKILL mid-day: after the restart /api/stats and the daily report equal the uninterrupted day', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hotline-restart-'));
    writeFileSync(join(dir, 'tokens.json'), JSON.stringify([{ token: TOKEN, role: 'admin', name: 'restart-test' }]), { mode: 0o600 });
    const dialled: string[] = [];

    const first = await serve(dir);
    await agentsAtDesks(first, ['1001', '1002']);
    for (const hold of ['welcome', 200, 6_500, 'welcome', 5_600] as const) dialled.push(await caller(first, hold));
    await stored(first, 5);
    const before = await figures(first);
    expect(before.total).toMatchObject({ counts: { calls: 5, leftBeforeQueue: 2, shortAbandoned: 1, abandoned: 2 } });
    // a caller still on the line when the router dies: never ended here, so never recorded
    const onLine = await dialPeer(first.outbound, { bridge: 'answer' });
    await until('the last caller on hold', () => onLine.timeline.includes('playback local_stream://moh'), 15_000);
    await first.kill('SIGKILL');

    const second = await serve(dir);
    // rebuilt from the file before it served
    expect(await figures(second)).toEqual(before);
    await agentsAtDesks(second, ['1001', '1002']);
    for (const hold of [7_000, 'welcome'] as const) dialled.push(await caller(second, hold));
    await stored(second, 7);

    const all = await records(second);
    // nothing that had ended is missing, nothing is doubled
    expect(all.map((r) => r.fsUuid).sort()).toEqual([...dialled].sort());
    const after = await figures(second);
    const loaded = await loadRegistryFile(join(repoRoot, 'config/hotline.example.yaml'));
    if (!loaded.ok) throw new Error('example registry does not load');
    const scope = metricsScope(loaded.registry);
    const uninterrupted = dailyReport(all, scope, after.date, 0);
    expect(uninterrupted).not.toBeNull();
    expect(after.total).toEqual(uninterrupted?.total);
    expect(after.hourly).toEqual(uninterrupted?.hourly);
    await second.kill('SIGTERM');

    // the 00:05 job over the same file
    const db = await openEmbedded(join(dir, 'records.db'), createLogger({ level: 'silent' }));
    try {
      const store = new MemoryReportStore();
      const job = new DailyReportJob({ scope, clock: { now: () => Date.now() }, records: new DatabaseDayRecords(db, zoneOf(scope.timeZone)), store });
      const report = await job.runFor(after.date);
      expect({ ...report, generatedAt: '' }).toEqual({ ...uninterrupted, generatedAt: '' });
    } finally {
      await db.close();
    }
  }, 180_000);
});
