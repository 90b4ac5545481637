/**
 * The 2-node, 2,000-caller run of test/contract/cluster/processes.test.ts while node A is starved
 * of CPU but alive, in the two ways a busy machine starves a process:
 *
 *  - A's process group is stopped (SIGSTOP) for bursts of `stopMs` and let run for `runMs`
 *    (SIGCONT), all along. A burst is shorter than what the heartbeat allows: a beat held up by
 *    one still lands `ttlMs − beatMs − stopMs` before the TTL runs out;
 *  - optionally (`hogs` > 0), every thread of A is pinned to one core beside that many busy loops
 *    at the same priority (taskset): A gets a fraction of that core, so every step is slower.
 *
 * The bursts come from a small process at real-time priority (chrt), so its own timers are not
 * late on a loaded machine: the stop lengths it reports are what A went through.
 *
 * What starves A is only what the run puts beside it. Both nodes, redis-server and the busy
 * loops run at one raised priority (nice −10, when the OS allows it), above whatever else the
 * machine runs (other suites, other work), so that the run, not that load, decides who gets the
 * CPU. With busy loops, A and they are pinned to core 0 and B and redis-server to core 1, all at
 * that one priority. The store may still be held up for seconds on a loaded machine (seen at
 * load 25: redis-server not scheduled for 3 s): by Redis's clock every heartbeat has expired when
 * it runs again, but the registry's clock does not count such a silence (cluster-scripts.ts), so
 * no live node is reaped for it — store-stall.test.ts stops the store outright.
 *
 * `violations()` says what went wrong, if anything. A is alive the whole time, so what must hold
 * is what holds with nothing disturbing it:
 *  - no live node reaped: the store's own word, each beat finding the node's previous heartbeat
 *    still there; nobody reaping, nobody putting a caller back. (The longest gap between two
 *    acknowledged beats is reported, not judged: it includes the time a reply waited for a
 *    stopped or starved process to read it, after the store had the beat.)
 *  - every caller served exactly once, no agent double-booked (the agents' histories);
 *  - the store's order: ranked by the time the store made each reservation (Redis TIME inside
 *    the reserve script), no caller reserved ahead of a more senior one (priority, then
 *    seniority) — nobody ever left the line, so it is served strictly from its head;
 *  - at the end every agent ready and the line empty, and no ACD call failed.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';
import { clusterCity } from '../contract/cluster/fixtures.js';
import { doubleBookings } from '../contract/cluster/histories.js';
import { until } from '../contract/cluster/in-process.js';
import { connectRedis, RedisAcdStore, RedisKeys } from '../../src/adapters/store/redis/index.js';
import { startRouterNode, stopAllRouterNodes, type AssignmentRecord, type Report } from './router-node.js';

export interface StarvedRunOptions {
  readonly redisUrl: string;
  readonly beatMs: number;
  readonly ttlMs: number;
  readonly stopMs: number;
  readonly runMs: number;
  /** busy loops pinned beside A on its core; 0: A is not pinned */
  readonly hogs: number;
  readonly agents?: number;
  readonly callers?: number;
}

export interface BurstStats { readonly bursts: number; readonly maxStopMs: number; readonly stoppedMs: number }

export interface StarvedRun {
  readonly violations: string[];
  /** one line: what happened (times, CPU, beats) */
  readonly summary: string;
}

const STARVED_CORE = '0';
const OTHER_CORE = '1';
/** the nice level of everything the run starts (the rest of the machine stays at its own) */
const BOOST = -10;

function works(cmd: string, args: string[]): boolean {
  return spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
}

/** Every thread of the process at BOOST (per thread on Linux); false when not allowed. */
function boost(pid: number): boolean {
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) setPriority(Number(tid), BOOST);
    return true;
  } catch {
    return false;
  }
}

function pin(pid: number, core: string): void {
  if (!works('taskset', ['-a', '-p', '-c', core, String(pid)])) throw new Error(`taskset of ${pid} failed`);
}

async function redisPid(url: string): Promise<number> {
  const client = await connectRedis(url);
  try {
    const m = /process_id:(\d+)/.exec(await client.info('server'));
    if (m?.[1] === undefined) throw new Error('no process_id in INFO server');
    return Number(m[1]);
  } finally {
    client.disconnect();
  }
}

/** Whether this machine lets the run stop A in precise bursts (chrt) and pin it (taskset). */
export function canStarve(hogs: number): boolean {
  return works('chrt', ['-f', '10', 'true']) && (hogs === 0 || works('taskset', ['-c', OTHER_CORE, 'true']));
}

/** Stops and continues a process group in bursts until SIGTERM; then prints what it did (JSON). */
const BURSTS = `
const [pgid, stopMs, runMs] = process.argv.slice(1).map(Number);
const stops = [];
let timer, stoppedAt;
const cont = () => { process.kill(-pgid, 'SIGCONT'); stops.push(performance.now() - stoppedAt); stoppedAt = undefined; };
const stop = () => {
  process.kill(-pgid, 'SIGSTOP');
  stoppedAt = performance.now();
  timer = setTimeout(() => { cont(); timer = setTimeout(stop, runMs); }, stopMs);
};
process.on('SIGTERM', () => {
  clearTimeout(timer);
  if (stoppedAt !== undefined) cont();
  process.stdout.write(JSON.stringify({ bursts: stops.length, maxStopMs: Math.max(0, ...stops), stoppedMs: stops.reduce((a, b) => a + b, 0) }));
  process.exit(0);
});
stop();
`;

function startBursts(pgid: number, stopMs: number, runMs: number): { end(): Promise<BurstStats> } {
  const child = spawn('chrt', ['-f', '10', process.execPath, '-e', BURSTS, String(pgid), String(stopMs), String(runMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => { resolve(); }));
  return {
    async end() {
      child.kill('SIGTERM');
      await exited;
      return JSON.parse(out) as BurstStats;
    },
  };
}

export interface Caller { readonly callId: string; readonly seniority: number; readonly priority: number }

/** Runs the scenario once: two fresh nodes on `redisUrl` (left running: stopAllRouterNodes). */
export async function runStarvedCluster(o: StarvedRunOptions): Promise<StarvedRun> {
  const agents = o.agents ?? 40;
  const callers = o.callers ?? 2000;
  const reg = clusterCity(agents);
  const [a, b] = await Promise.all([0, 1].map(() => startRouterNode({ redisUrl: o.redisUrl, registry: reg, beatMs: o.beatMs, ttlMs: o.ttlMs, talkMs: 2 })));
  if (a === undefined || b === undefined) throw new Error('nodes');
  const store = new RedisAcdStore(await connectRedis(o.redisUrl), { ownsClient: true });
  let hogs: ChildProcess[] = [];
  try {
    const t0 = Date.now() - 100_000;
    // Interleaved seniorities across the nodes; every 10th caller is a priority line.
    const calls = (node: number): Caller[] => Array.from({ length: callers / 2 }, (_, i) => ({
      callId: `n${node}-${i}`, seniority: t0 + (2 * i + node) * 10, priority: i % 10 === 0 ? 1 : 0,
    }));
    // In batches: a thousand at once can outlast the store's command timeout on a loaded machine
    // (a refused caller goes to the dialplan's fallback — correct, but not this scenario).
    for (let from = 0; from < callers / 2; from += 250) {
      const rejected = (await Promise.all([a, b].map((n, i) => n.call<{ callId: string; code: string }[]>('enqueue', calls(i).slice(from, from + 250))))).flat();
      if (rejected.length > 0) throw new Error(`enqueue refused ${rejected.length} callers: ${[...new Set(rejected.map((r) => r.code))].join(', ')}`);
    }

    const storePid = await redisPid(o.redisUrl);
    await storeLatency(o.redisUrl, 'start');
    const boosted = [a.pid, b.pid, storePid].every(boost);
    if (o.hogs > 0) {
      pin(a.pid, STARVED_CORE);
      pin(b.pid, OTHER_CORE);
      pin(storePid, OTHER_CORE);
      hogs = Array.from({ length: o.hogs }, () => spawn('taskset', ['-c', STARVED_CORE, process.execPath, '-e', 'for (;;) {}'], { stdio: 'ignore' }));
      // At A's priority, or they would not compete with it.
      for (const h of hogs) if (boosted && (h.pid === undefined || !boost(h.pid))) throw new Error('a busy loop could not be raised to the nodes\' priority');
    }
    const cpuBefore = await Promise.all([a.report(), b.report()]);
    const bursts = startBursts(a.pid, o.stopMs, o.runMs);
    const started = Date.now();
    let burst: BurstStats;
    try {
      // A answers its commands only while it runs: they are slow, not lost.
      await Promise.all([a.call('ready', Array.from({ length: agents / 2 }, (_, k) => `a${k}`), 60_000),
        b.call('ready', Array.from({ length: agents / 2 }, (_, k) => `a${agents / 2 + k}`))]);
      await until('all served', async () => (await a.call<number>('served', undefined, 60_000)) + (await b.call<number>('served')) >= callers, 150_000);
    } finally {
      burst = await bursts.end();
      for (const h of hogs) h.kill('SIGKILL');
      hogs = [];
    }
    const ms = Date.now() - started;
    const reports: Report[] = await Promise.all([a.report(), b.report()]);
    const v: string[] = [];
    const budget = o.ttlMs - o.beatMs;
    if (burst.maxStopMs >= budget) v.push(`the burst generator held A ${Math.round(burst.maxStopMs)} ms, not under ${budget} ms: not the scenario`);

    for (const r of reports) {
      if ((r.beats?.lost ?? 0) !== 0) v.push(`${r.nodeId}: ${r.beats?.lost} beats found the node reaped`);
      const requeued = Object.keys(r.requeued);
      if (requeued.length > 0) v.push(`${r.nodeId}: ${requeued.length} callers put back in line (${requeued.slice(0, 3).join(', ')}…)`);
      const reaps = r.warnings['cluster: reaped dead nodes'] ?? 0;
      if (reaps > 0) v.push(`${r.nodeId}: reaped a node ${reaps} times`);
      const failures = Object.keys(r.failures);
      if (failures.length > 0) v.push(`${r.nodeId}: ACD calls failed: ${failures.join(', ')}`);
    }

    const all = reports.flatMap((r) => r.assignments);
    const distinct = new Set(all.map((x) => x.callId)).size;
    if (all.length !== callers || distinct !== callers) v.push(`${all.length} assignments for ${distinct} callers, expected ${callers} once each`);
    v.push(...doubleBookings(all).map((d) => `double booking: ${d}`));
    v.push(...overtakes(all, [...calls(0), ...calls(1)]));

    await until('all agents ready, line empty', async () => (await store.length('general')) === 0
      && (await store.listAgents()).every((x) => x.state.status === 'ready'), 10_000)
      .catch(() => { v.push('agents not all ready or callers left in line at the end'); });

    const slow = await storeLatency(o.redisUrl, 'read');
    const forgiven = await registryStalls(o.redisUrl);
    const cpu = reports.map((r, i) => r.cpuMs - (cpuBefore[i]?.cpuMs ?? 0));
    const summary = `${callers} callers in ${ms} ms${boosted ? '' : ' (priorities not raised: the machine\'s other load competes too)'}; A stopped ${burst.bursts} times (longest ${Math.round(burst.maxStopMs)} ms, ${Math.round(burst.stoppedMs)} ms in all)`
      + `${o.hogs > 0 ? ` on a core shared with ${o.hogs} busy loops` : ''}; CPU used A/B ${cpu.join('/')} ms; split ${reports.map((r) => r.assignments.length).join('/')}; `
      + `beats A/B ${reports.map((r) => r.beats?.beats).join('/')}, longest gap between acknowledgements ${reports.map((r) => r.beats?.maxGapMs).join('/')} ms `
      + `(over the TTL ${reports.map((r) => r.beats?.gapsOverTtl).join('/')} times), event loop held up at most ${reports.map((r) => r.loopDelayMaxMs).join('/')} ms; beats that found the node reaped ${reports.map((r) => r.beats?.lost).join('/')}; store: ${slow}; `
      + `silences of every node the registry's clock did not count: ${forgiven} ms`;
    return { violations: v, summary };
  } finally {
    for (const h of hogs) h.kill('SIGKILL');
    await store.close();
    await stopAllRouterNodes();
  }
}

/**
 * Whether the store itself was slow: Redis's latency monitor and slow log (≥ 100 ms), armed at
 * 'start', read at 'read' — a command that took long inside Redis (a script) shows there; a
 * server that was not scheduled between commands does not.
 */
async function storeLatency(url: string, step: 'start' | 'read'): Promise<string> {
  const client = await connectRedis(url);
  try {
    if (step === 'start') {
      await client.config('SET', 'latency-monitor-threshold', '100');
      await client.config('SET', 'slowlog-log-slower-than', '100000');
      await client.slowlog('RESET');
      await client.latency('RESET');
      return '';
    }
    const latest = (await client.latency('LATEST')) as [string, number, number, number][];
    const slowlog = (await client.slowlog('GET', 5)) as [number, number, number, string[]][];
    const events = latest.map(([event, , , max]) => `${event} max ${max} ms`).join(', ');
    const commands = slowlog.map(([, , micros, args]) => `${args[0] ?? '?'} ${Math.round(micros / 1000)} ms`).join(', ');
    return `latency events ${events || 'none'}; slow commands ${commands || 'none'}`;
  } finally {
    client.disconnect();
  }
}

/**
 * How long the registry's clock stood still (cluster-scripts.ts): the sum of every silence of the
 * registry past one beat — the store not scheduled (or every node not) for that long. Each ms of
 * it would have been a ms closer to reaping every live node, had heartbeats been keys with a TTL.
 */
async function registryStalls(url: string): Promise<number> {
  const client = await connectRedis(url);
  try {
    return Number(await client.hget(new RedisKeys().clock(), 'skew') ?? 0);
  } finally {
    client.disconnect();
  }
}

/** Callers the store reserved ahead of a more senior one (by Redis's reservation time). */
export function overtakes(all: readonly AssignmentRecord[], calls: readonly Caller[]): string[] {
  const byId = new Map(calls.map((c) => [c.callId, c]));
  const junior = (x: Caller, y: Caller): boolean => x.priority < y.priority || (x.priority === y.priority && x.seniority > y.seniority);
  const withTime = all.map((x) => ({ x, c: byId.get(x.callId), at: x.reservedAt }));
  const missing = withTime.filter((w) => w.c === undefined || w.at === undefined);
  if (missing.length > 0) return [`${missing.length} assignments without a known caller or a reservation time`];
  const inStoreOrder = withTime.sort((p, q) => (p.at ?? 0) - (q.at ?? 0));
  const out: string[] = [];
  // From the last reservation back: the most senior caller reserved after each one.
  let senior: Caller | undefined;
  for (let i = inStoreOrder.length - 1; i >= 0; i--) {
    const c = inStoreOrder[i]?.c;
    if (c === undefined) continue;
    if (senior !== undefined && junior(c, senior)) out.push(`${c.callId} reserved ahead of the more senior ${senior.callId}`);
    if (senior === undefined || junior(senior, c)) senior = c;
  }
  return out.slice(0, 10).concat(out.length > 10 ? [`… ${out.length - 10} more overtakes`] : []);
}
