/**
 * The store's hot pair, reserve an agent for a waiting caller + release it, on the memory and
 * the Redis store side by side in one run (Redis: a throw-away local redis-server, one
 * connection = one router node). Reported: pairs per second sequentially and with 32 pairs in
 * flight, and p50/p99 latency of one pair (reserve start → release done).
 * Targets, per node on Redis: ≥ 10,000 pairs/s with 32 in flight, and p99 ≤ 3 ms both
 * sequentially and while carrying 10,000 pairs/s (open loop). The saturated (32 in flight)
 * p99 is printed too: it is in-flight ÷ throughput plus scheduling noise, not a service time.
 * Run: node --import tsx bench/store.bench.ts
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { MemoryAcdStore } from '../src/adapters/store/memory/index.js';
import { connectRedis, RedisAcdStore } from '../src/adapters/store/redis/index.js';
import type { AcdStore } from '../src/core/acd/store-port.js';
import { requireRedisServer, startRedisServer } from '../test/support/redis-server.js';

const TARGET_PAIRS = 10_000;
const TARGET_P99_MS = 3;
const IN_FLIGHT = 32;
const WARMUP = 2_000;
const SEQUENTIAL = 20_000;
const CONCURRENT = 60_000;
const PACED = 30_000;
const T0 = 1_800_000_000_000;

interface Result { readonly pairsPerSecond: number; readonly p50: number; readonly p99: number }

/** One ready agent per worker, and `callers` callers waiting in one queue. */
async function prepare(store: AcdStore, workers: number, callers: number): Promise<number[]> {
  const versions: number[] = [];
  for (let w = 0; w < workers; w++) {
    await store.upsertAgent({ id: `a${w}`, skills: {}, queues: ['q'] }, T0);
    await store.applyAgentEvent(`a${w}`, { type: 'login' }, T0);
    const r = await store.applyAgentEvent(`a${w}`, { type: 'ready' }, T0 + w);
    if (!r.ok) throw new Error('setup: agent not ready');
    versions.push(r.agent.version);
  }
  for (let i = 0; i < callers; i += 1000) {
    const batch = [];
    for (let j = i; j < Math.min(callers, i + 1000); j++) batch.push(store.enqueue('q', {
      // What a router node writes: the line and the caller's number, for the waiting views of every node.
      callId: `c${j}`, priority: j % 3, enqueuedAt: T0 + j, line: '12345', caller: `138${String(j).padStart(8, '0')}`,
    }));
    await Promise.all(batch);
  }
  return versions;
}

/** `pairs` reserve+release pairs by `workers` concurrent workers; worker w drives agent a<w>. */
/** One measured pair on agent `a<w>`: reserve, then release; returns its time in ms. */
async function reserveRelease(store: AcdStore, versions: number[], w: number, callId: string): Promise<number> {
  const agentId = `a${w}`;
  const t0 = performance.now();
  const r = await store.reserveAgent({ agentId, expectedVersion: versions[w]!, queueId: 'q', callId, reservedUntil: T0 + 5_000, now: T0 });
  if (!r.ok) throw new Error(`reserve failed: ${r.reason}`);
  if (!(await store.releaseAgent(agentId, callId, T0))) throw new Error('release failed');
  versions[w] = r.agent.version + 1;
  return performance.now() - t0;
}

async function run(store: AcdStore, versions: number[], first: number, pairs: number, workers: number): Promise<Result> {
  let next = first;
  const end = first + pairs;
  const times: number[] = [];
  const worker = async (w: number): Promise<void> => {
    while (next < end) {
      times.push(await reserveRelease(store, versions, w, `c${next++}`));
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: workers }, (_, w) => worker(w)));
  const seconds = (performance.now() - t0) / 1000;
  times.sort((a, b) => a - b);
  const pct = (p: number): number => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] ?? NaN;
  return { pairsPerSecond: pairs / seconds, p50: pct(50), p99: pct(99) };
}

/**
 * Open loop at `rate` pairs/s: every timer tick starts the pairs that are due, each on a free
 * agent. The closed loop above measures saturation, where latency is just in-flight ÷ rate
 * (Little's law); this measures what a node sees while actually carrying the target load.
 */
async function paced(store: AcdStore, versions: number[], first: number, pairs: number, rate: number): Promise<Result> {
  const free = versions.map((_, w) => w);
  const times: number[] = [];
  const pending = new Set<Promise<void>>();
  let started = 0;
  const pair = async (w: number, callId: string): Promise<void> => {
    times.push(await reserveRelease(store, versions, w, callId));
    free.push(w);
  };
  const t0 = performance.now();
  while (started < pairs) {
    const due = Math.min(pairs, Math.floor(((performance.now() - t0) / 1000) * rate));
    while (started < due && free.length > 0) {
      const p = pair(free.pop()!, `c${first + started++}`);
      pending.add(p);
      void p.finally(() => pending.delete(p));
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  await Promise.all(pending);
  const seconds = (performance.now() - t0) / 1000;
  times.sort((a, b) => a - b);
  const pct = (p: number): number => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] ?? NaN;
  return { pairsPerSecond: pairs / seconds, p50: pct(50), p99: pct(99) };
}

async function measure(store: AcdStore): Promise<{ seq: Result; par: Result; paced: Result }> {
  const versions = await prepare(store, IN_FLIGHT, WARMUP + SEQUENTIAL + CONCURRENT + PACED);
  await run(store, versions, 0, WARMUP, IN_FLIGHT);
  const seq = await run(store, versions, WARMUP, SEQUENTIAL, 1);
  const par = await run(store, versions, WARMUP + SEQUENTIAL, CONCURRENT, IN_FLIGHT);
  const at = await paced(store, versions, WARMUP + SEQUENTIAL + CONCURRENT, PACED, TARGET_PAIRS);
  return { seq, par, paced: at };
}

const fmtRate = (n: number): string => Math.round(n).toLocaleString('en').padStart(10);
const fmtMs = (n: number): string => `${n.toFixed(3)} ms`.padStart(10);
function line(store: string, mode: string, r: Result, verdict: string): void {
  console.log(`${store.padEnd(7)}${mode.padEnd(14)}${fmtRate(r.pairsPerSecond)} pairs/s${fmtMs(r.p50)} p50${fmtMs(r.p99)} p99  ${verdict}`);
}

console.log(`store: reserve+release pairs (one pair = 1 reservation + 1 release; ${SEQUENTIAL.toLocaleString('en')} sequential, ${CONCURRENT.toLocaleString('en')} with ${IN_FLIGHT} in flight; ${(WARMUP + SEQUENTIAL + CONCURRENT).toLocaleString('en')} callers waiting at the start)`);
// Node and redis-server share this machine's cores: the load says how much of them we had.
console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} at start`);
const memory = await measure(new MemoryAcdStore());
line('memory', 'sequential', memory.seq, '');
line('memory', `${IN_FLIGHT} in flight`, memory.par, '');
line('memory', 'paced 10k/s', memory.paced, '');

if (requireRedisServer()) {
  const server = await startRedisServer();
  try {
    const client = await connectRedis(server.url);
    const store = new RedisAcdStore(client, { deployment: 'bench', ownsClient: true });
    try {
      const redis = await measure(store);
      const okRate = redis.par.pairsPerSecond >= TARGET_PAIRS;
      const okP99 = redis.paced.p99 <= TARGET_P99_MS && redis.seq.p99 <= TARGET_P99_MS;
      const verdict = (ok: boolean): string => (ok ? 'ok' : 'MISSED');
      line('redis', 'sequential', redis.seq, `p99 ≤ ${TARGET_P99_MS} ms ${verdict(redis.seq.p99 <= TARGET_P99_MS)}`);
      line('redis', `${IN_FLIGHT} in flight`, redis.par, `≥ ${TARGET_PAIRS.toLocaleString('en')} pairs/s ${verdict(okRate)}; saturated p99 ${verdict(redis.par.p99 <= TARGET_P99_MS)}`);
      line('redis', 'paced 10k/s', redis.paced, `p99 ≤ ${TARGET_P99_MS} ms at the target rate ${verdict(redis.paced.p99 <= TARGET_P99_MS)}`);
      process.exitCode = okRate && okP99 ? 0 : 1;
    } finally {
      await store.close();
    }
  } finally {
    await server.stop();
  }
}
