/**
 * `hotline serve` (the built binary) as a child process for the figures tests, and what they do
 * to it: callers dialled in by the FreeSWITCH test peer, the API read with an admin token.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CallRecord } from '../../../src/core/call/index.js';
import { freePort } from '../../support/redis-server.js';
import { repoRoot } from '../../support/run-cli.js';
import { dialPeer } from '../call/harness.js';
import { until } from '../cluster/in-process.js';

const bin = fileURLToPath(new URL('../../../bin/hotline.js', import.meta.url));
export const TOKEN = 'restart-test-admin-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };

export interface Served {
  readonly child: ChildProcess;
  readonly base: string;
  readonly outbound: { host: string; port: number };
  kill(signal: NodeJS.Signals): Promise<void>;
}

export const running = new Set<Served>();

export async function serve(dir: string, env: Readonly<Record<string, string>> = {}): Promise<Served> {
  const port = await freePort();
  const outbound = { host: '127.0.0.1', port: await freePort() };
  const child = spawn(process.execPath, [bin, 'serve'], {
    cwd: repoRoot, detached: true, stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      PATH: process.env.PATH ?? '', HTTP_HOST: '127.0.0.1', HTTP_PORT: String(port), OUTBOUND_HOST: outbound.host,
      OUTBOUND_PORT: String(outbound.port), LOG_LEVEL: 'warn', RECORDS_FILE: join(dir, 'records.db'),
      HOTLINE_TOKENS_FILE: join(dir, 'tokens.json'), PROMPTS_DIR: join(dir, 'prompts'), REPORTS_DIR: join(dir, 'reports'), DRAIN_SECONDS: '1',
      ...env,
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

export async function api<T>(s: Served, path: string, method = 'GET'): Promise<T> {
  const r = await fetch(`${s.base}${path}`, { method, headers: auth });
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
  return await r.json() as T;
}

interface Stats { date: string; total: unknown; lines: unknown; queues: unknown; hourly: unknown }
/** What a manager reads, without the instant and the live parts (waiting now, agents). */
export async function figures(s: Served) {
  const st = await api<Stats & { lines: { line: string; waitingNow?: unknown; longestWaitSeconds?: unknown }[]; queues: Record<string, unknown>[] }>(s, '/api/stats');
  const strip = (o: Record<string, unknown>) => {
    const { waitingNow: _w, longestWaitSeconds: _l, open: _o, agents: _a, ...rest } = o;
    return rest;
  };
  return { date: st.date, total: st.total, hourly: st.hourly, lines: st.lines.map((l) => strip(l)), queues: st.queues.map((q) => strip(q)) };
}

/** Until the node has stored `n` records (the last listing is in the error otherwise). */
export async function stored(s: Served, n: number): Promise<void> {
  let last: CallRecord[] = [];
  try {
    await until(`${n} records stored`, async () => (last = await records(s)).length === n, 20_000);
  } catch (err) {
    throw new Error(`${(err as Error).message}: ${JSON.stringify(last.map((r) => [r.fsUuid, r.outcome]))}`, { cause: err });
  }
}

export async function records(s: Served): Promise<CallRecord[]> {
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
export async function agentsAtDesks(s: Served, ids: readonly string[]): Promise<void> {
  for (const id of ids) await api(s, `/api/agents/${id}/login`, 'POST');
}

/**
 * One caller: hangs up during the welcome (`left-before-queue`), or after `holdMs` of hold music
 * (abandoned; short-abandoned under the registry's 5 s).
 */
export async function caller(s: Served, holdMs: number | 'welcome'): Promise<string> {
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

