/**
 * ACD with the in-memory store:
 *  1. throughput of the caller cycle enqueue → dispatch (assign) → release, one cycle = one op;
 *  2. latency from "agent becomes ready" (the store transition) to "assignment decided"
 *     (dispatch returned) with 1,000 callers waiting at mixed priorities.
 * Run: node --import tsx bench/acd.bench.ts
 */
import { performance } from 'node:perf_hooks';
import { MemoryAcdStore } from '../src/adapters/store/memory/index.js';
import { dispatch, queueLookup } from '../src/app/acd/dispatch.js';
import type { AcdQueue } from '../src/core/acd/types.js';

const Q: Omit<AcdQueue, 'id'> = {
  name: '12345', skills: ['general'], maxWaitSeconds: 600, maxLength: 100_000, wrapUpSeconds: 0, schedule: 'always',
  announceEverySeconds: 30, serviceLevelSeconds: 15, ringSeconds: 20, selection: 'skill-then-longest-idle',
};
const queues = queueLookup({ q12345: Q, pool: { ...Q, overflow: undefined } });
const TARGET_OPS = 50_000;
const TARGET_P99_MS = 2;
let now = 1_000_000;
let callNo = 0;

async function addAgents(store: MemoryAcdStore, n: number, ready: boolean): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = `a${i}`;
    await store.upsertAgent({ id, skills: { general: 1 + (i % 5) }, queues: ['q12345', 'pool'] }, now);
    await store.applyAgentEvent(id, { type: 'login' }, now);
    if (ready) await store.applyAgentEvent(id, { type: 'ready' }, now++);
    ids.push(id);
  }
  return ids;
}

async function throughput(seconds: number): Promise<number> {
  const store = new MemoryAcdStore();
  await addAgents(store, 50, true);
  const cycle = async (): Promise<void> => {
    now += 1;
    await store.enqueue('q12345', { callId: `t${callNo++}`, priority: callNo % 3, enqueuedAt: now });
    const [a] = await dispatch(store, queues, { kind: 'caller-enqueued', queueId: 'q12345' }, now);
    if (a === undefined) throw new Error('no assignment');
    await store.releaseAgent(a.agent.id, a.entry.callId, now);
  };
  for (let i = 0; i < 20_000; i++) await cycle();
  let ops = 0;
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  while (performance.now() < end) {
    for (let i = 0; i < 1000; i++) await cycle();
    ops += 1000;
  }
  return ops / ((performance.now() - t0) / 1000);
}

async function readyLatency(waiting: number, samples: number): Promise<number[]> {
  const store = new MemoryAcdStore();
  const agents = await addAgents(store, 200, false);
  for (let i = 0; i < waiting; i++) {
    await store.enqueue('q12345', { callId: `w${callNo++}`, priority: i % 3, enqueuedAt: now++ });
  }
  // Everyone on a call, so each sample is one agent freeing up with `waiting` callers in line.
  for (const id of agents) {
    await store.applyAgentEvent(id, { type: 'ready' }, now);
    const [a] = await dispatch(store, queues, { kind: 'agent-ready', agentId: id }, now);
    if (a === undefined) throw new Error('setup');
    await store.applyAgentEvent(id, { type: 'answer', callId: a.entry.callId }, now);
    await store.enqueue('q12345', { callId: `w${callNo++}`, priority: callNo % 3, enqueuedAt: now++ });
  }
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const id = agents[i % agents.length]!;
    const agent = await store.getAgent(id);
    const callId = agent?.state.status === 'on-call' ? agent.state.callId : '';
    now += 1;
    const t0 = performance.now();
    await store.applyAgentEvent(id, { type: 'hangup', callId, wrapUpSeconds: 0 }, now);
    const [a] = await dispatch(store, queues, { kind: 'agent-ready', agentId: id }, now);
    const t1 = performance.now();
    if (a === undefined) throw new Error('no assignment');
    times.push(t1 - t0);
    await store.applyAgentEvent(id, { type: 'answer', callId: a.entry.callId }, now);
    await store.enqueue('q12345', { callId: `w${callNo++}`, priority: callNo % 3, enqueuedAt: now });
    if ((await store.length('q12345')) !== waiting) throw new Error('queue drifted');
  }
  return times.slice(samples / 10).sort((x, y) => x - y);
}

const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

const ops = await throughput(2);
const lat = await readyLatency(1000, 50_000);
const p50 = pct(lat, 50);
const p99 = pct(lat, 99);
const okOps = ops >= TARGET_OPS;
const okLat = p99 <= TARGET_P99_MS;
console.log(`acd memory: enqueue+assign+release ${Math.round(ops).toLocaleString('en')} ops/s (target ≥ ${TARGET_OPS.toLocaleString('en')}/s) ${okOps ? 'ok' : 'MISSED'}`);
console.log(`acd memory: agent ready → assignment decided, 1,000 callers waiting: p50 ${(p50 * 1000).toFixed(1)} µs, p99 ${(p99 * 1000).toFixed(1)} µs (target p99 ≤ ${TARGET_P99_MS} ms) ${okLat ? 'ok' : 'MISSED'}`);
process.exitCode = okOps && okLat ? 0 : 1;
