/**
 * The shipped Prometheus configuration and rules against the real thing (Debian's `prometheus`
 * package): `promtool check config` and `promtool test rules` pass, and a real Prometheus with
 * the shipped scrape job (its target and token file pointed at this run) scrapes a running
 * `hotline serve` and answers a query for today's answer rate. Every metric the rules and the
 * Grafana dashboard name is one that router really exports, read from its live /metrics.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { openEmbedded } from '../../src/adapters/records/index.js';
import type { CallRecord } from '../../src/app/records/index.js';
import { createLogger } from '../../src/lib/logger.js';
import { freePort } from '../support/redis-server.js';
import { repoRoot } from '../support/run-cli.js';

const promtool = spawnSync('promtool', ['--version']).status === 0 && spawnSync('prometheus', ['--version']).status === 0;
if (!promtool) console.log('skipped: prometheus not installed (apt-get install prometheus)');

const root = (p: string): string => join(repoRoot, p);
const tmp = mkdtempSync(join(tmpdir(), 'hotline-prom-'));
const children: ChildProcess[] = [];
let routerBase = '';
let token = '';
let promBase = '';

const DAY_MS = 86_400_000;
const SHANGHAI_MS = 8 * 3_600_000;

/** Two of today's calls (Asia/Shanghai, the example registry's zone): one answered, one abandoned. */
function todaysCalls(now: number): CallRecord[] {
  const startOfDay = Math.floor((now + SHANGHAI_MS) / DAY_MS) * DAY_MS - SHANGHAI_MS;
  const at = Math.max(startOfDay, now - 60_000);
  const base = { line: '12345', mode: undefined, queue: 'general', hops: [], agentsTried: [], hangupCause: 'NORMAL_CLEARING', survey: undefined };
  return [
    { ...base, callSid: 'p1', fsUuid: 'uuid-p1', arrivedAt: at, queuedAt: at + 1000, answeredAt: at + 5000, agentId: '1001', endedAt: now, outcome: 'answered', waitSeconds: 4, waitFromArrivalSeconds: 5 },
    { ...base, callSid: 'p2', fsUuid: 'uuid-p2', arrivedAt: at, queuedAt: at + 1000, answeredAt: undefined, agentId: undefined, endedAt: now, outcome: 'abandoned', waitSeconds: 40, waitFromArrivalSeconds: 41 },
  ] as CallRecord[];
}

function startRouter(recordsFile: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['bin/hotline.js', 'serve'], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', HTTP_PORT: String(port), OUTBOUND_PORT: '0', LOG_LEVEL: 'warn', DRAIN_SECONDS: '1', RECORDS_FILE: recordsFile, REPORTS_DIR: join(tmp, 'reports') },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(p);
    let err = '';
    const timer = setTimeout(() => { reject(new Error(`no token within 30 s: ${err}`)); }, 30_000);
    p.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /wall board: (http:\/\/[^/\s]+)\/board\?token=(\S+)/.exec(err);
      if (m?.[1] !== undefined && m[2] !== undefined) {
        clearTimeout(timer);
        routerBase = m[1];
        token = m[2];
        resolve();
      }
    });
    p.on('exit', (code) => { clearTimeout(timer); reject(new Error(`hotline serve exited ${code}: ${err}`)); });
  });
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Metric names an expression reads (histogram series mapped to their family). */
function metricsIn(expr: string): string[] {
  return [...expr.matchAll(/\b(hotline_[a-z0-9_]+)/g)].map((m) => (m[1] ?? '').replace(/_(bucket|sum|count)$/, ''));
}

describe.skipIf(!promtool)('Prometheus: shipped config and rules, against a running router', () => {
  beforeAll(async () => {
    const recordsFile = join(tmp, 'records.db');
    const db = await openEmbedded(recordsFile, createLogger({ level: 'silent' }));
    await db.insertCalls(todaysCalls(Date.now()).map((record) => ({ record, node: 'seed' })));
    await db.close();
    await startRouter(recordsFile, await freePort());
    writeFileSync(join(tmp, 'token'), token);
    // The shipped file, with only what differs in this run: the target, the token file, the rules' path, a fast scrape.
    const config = parse(readFileSync(root('deploy/prometheus/prometheus.yml'), 'utf8')) as {
      global: Record<string, unknown>; rule_files: string[];
      scrape_configs: { job_name: string; authorization?: { credentials_file: string }; static_configs: { targets: string[] }[] }[];
    };
    config.global.scrape_interval = '1s';
    config.global.evaluation_interval = '1s';
    config.rule_files = [root('deploy/prometheus/rules/*.yml')];
    const job = config.scrape_configs.find((j) => j.job_name === 'hotline-router');
    if (job?.authorization === undefined) throw new Error('no hotline-router job with authorization in the shipped config');
    // Every job that presents the token (the router's, the edge's) reads it from this run's file.
    for (const j of config.scrape_configs) if (j.authorization !== undefined) j.authorization.credentials_file = join(tmp, 'token');
    job.static_configs = [{ targets: [routerBase.replace(/^http:\/\//, '')] }];
    writeFileSync(join(tmp, 'prometheus.yml'), stringify(config));
    const port = await freePort();
    promBase = `http://127.0.0.1:${port}`;
    const prom = spawn('prometheus', [`--config.file=${join(tmp, 'prometheus.yml')}`, `--storage.tsdb.path=${join(tmp, 'tsdb')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
    children.push(prom);
  }, 60_000);

  afterAll(async () => {
    for (const c of children) {
      if (c.exitCode !== null || c.signalCode !== null) continue;
      const exited = new Promise((r) => c.once('exit', r));
      c.kill('SIGTERM');
      await exited;
    }
    rmSync(tmp, { recursive: true, force: true });
  }, 60_000);

  it('promtool check config passes on the shipped file (its token file and rules pointed at this checkout)', () => {
    const r = spawnSync('promtool', ['check', 'config', join(tmp, 'prometheus.yml')], { encoding: 'utf8' });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('SUCCESS');
  });

  it('promtool test rules passes: every alert fires on a broken target and stays silent on a kept one', () => {
    const r = spawnSync('promtool', ['test', 'rules', root('deploy/prometheus/tests/hotline.rules.test.yml')], { encoding: 'utf8' });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const c = spawnSync('promtool', ['check', 'rules', root('deploy/prometheus/rules/hotline.rules.yml')], { encoding: 'utf8' });
    expect(c.status, c.stdout + c.stderr).toBe(0);
  });

  it('a real Prometheus scrapes the router with the shipped job and answers a query for today\'s answer rate', async () => {
    type Query = { status: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
    const rate = await until('the answer rate in Prometheus', async () => {
      const r = await fetch(`${promBase}/api/v1/query?query=${encodeURIComponent('hotline_day_answer_ratio{job="hotline-router",line="all"}')}`);
      const body = await r.json() as Query;
      return body.data.result[0];
    }, 30_000);
    // The two seeded calls: one answered of two counted.
    expect(Number(rate.value[1])).toBeCloseTo(0.5, 9);
    const up = await (await fetch(`${promBase}/api/v1/query?query=${encodeURIComponent('up{job="hotline-router"}')}`)).json() as Query;
    expect(up.data.result[0]?.value[1]).toBe('1');
    // The rules loaded: the recording rule and the alerts are evaluated by this Prometheus.
    const rules = await (await fetch(`${promBase}/api/v1/rules`)).json() as { data: { groups: { rules: { name: string; health: string }[] }[] } };
    const all = rules.data.groups.flatMap((g) => g.rules);
    expect(all.length).toBeGreaterThan(10);
    await until('every rule evaluated ok', async () => {
      const now = await (await fetch(`${promBase}/api/v1/rules`)).json() as typeof rules;
      return now.data.groups.flatMap((g) => g.rules).every((x) => x.health === 'ok') ? true : undefined;
    }, 20_000);
  });

  it('every metric the rules and the dashboard read is one the router exports', async () => {
    const text = await (await fetch(`${routerBase}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text();
    const exported = new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1] ?? ''));
    const rules = parse(readFileSync(root('deploy/prometheus/rules/hotline.rules.yml'), 'utf8')) as { groups: { rules: { expr: string }[] }[] };
    const dashboard = JSON.parse(readFileSync(root('deploy/grafana/dashboards/hotline.json'), 'utf8')) as { panels: { targets: { expr: string }[] }[]; templating: { list: { definition: string }[] } };
    const exprs = [
      ...rules.groups.flatMap((g) => g.rules.map((r) => r.expr)),
      ...dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)),
      ...dashboard.templating.list.map((v) => v.definition),
    ];
    const named = new Set(exprs.flatMap(metricsIn));
    expect(named.size).toBeGreaterThan(15);
    expect([...named].filter((m) => !exported.has(m))).toEqual([]);
  });
});
