/**
 * Router nodes as separate processes on one real redis-server: thousands of concurrent
 * reservations with zero double bookings (from the agents' histories) in (priority, seniority)
 * order; a node SIGKILLed holding reservations; redis-server stopped and restarted under load.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis, RedisAcdStore } from '../../../src/adapters/store/redis/index.js';
import { requireRedisServer, startRedisServer, type RedisServer } from '../../support/redis-server.js';
import { startRouterNode, stopAllRouterNodes, type AssignmentRecord, type Report, type RouterNode } from '../../support/router-node.js';
import { clusterCity } from './fixtures.js';
import { doubleBookings } from './histories.js';
import { watchRegistryClock } from './registry-clock.js';
import { until } from './in-process.js';

const BEAT = 200;
const TTL = 800;

function agentIds(from: number, to: number): string[] {
  return Array.from({ length: to - from }, (_, i) => `a${from + i}`);
}

describe.skipIf(!requireRedisServer())('router nodes as processes on one Redis', () => {
  let redis: RedisServer;
  let watcher: RedisAcdStore;

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterEach(async () => {
    await stopAllRouterNodes();
    await watcher.close();
    await redis.restart();
  });
  afterAll(async () => {
    await stopAllRouterNodes();
    await redis.stop();
  });

  async function watch(): Promise<RedisAcdStore> {
    watcher = new RedisAcdStore(await connectRedis(redis.url), { ownsClient: true });
    return watcher;
  }

  it('2 nodes, 2,000 callers, 40 agents: every caller served once, no agent double-booked, in (priority, seniority) order', async () => {
    const agents = 40;
    const reg = clusterCity(agents);
    const [a, b] = await Promise.all([0, 1].map(() => startRouterNode({ redisUrl: redis.url, registry: reg, beatMs: BEAT, ttlMs: TTL, talkMs: 2 })));
    if (a === undefined || b === undefined) throw new Error('nodes');
    const store = await watch();
    const t0 = Date.now() - 100_000;
    // Interleaved seniorities across the nodes; every 10th caller is a priority line.
    const calls = (node: number) => Array.from({ length: 1000 }, (_, i) => ({
      callId: `n${node}-${i}`, seniority: t0 + (2 * i + node) * 10, priority: i % 10 === 0 ? 1 : 0,
    }));
    const rejected = await Promise.all([a.call<unknown[]>('enqueue', calls(0)), b.call<unknown[]>('enqueue', calls(1))]);
    expect(rejected.flat()).toEqual([]);
    expect(await store.length('general')).toBe(2000);
    const started = Date.now();
    await Promise.all([a.call('ready', agentIds(0, 20)), b.call('ready', agentIds(20, 40))]);
    // Polled by count: fetching 2,000 records 50 times a second would eat the CPU the nodes need.
    await until('all served', async () => (await a.call<number>('served')) + (await b.call<number>('served')) >= 2000, 90_000);
    const ms = Date.now() - started;
    const reports: Report[] = [await a.report(), await b.report()];
    const all = reports.flatMap((r) => r.assignments);
    expect(all).toHaveLength(2000);
    expect(new Set(all.map((x) => x.callId)).size).toBe(2000);
    expect(doubleBookings(all)).toEqual([]);
    // Order: the rank a caller had in (priority, seniority) against the rank it was served in, the
    // latter by Redis's TIME in the reservation script: the order the store really gave callers
    // out. The nodes' own notice times are not that order: a node the CPU hog starves for 400 ms
    // hears of its assignments 400 ms late while the other node serves ~160 (seen: 165 > 160,
    // once in 50 runs beside a hog, all else passing); they are printed for comparison.
    expect(all.filter((x) => x.reservedAt === undefined)).toEqual([]);
    const rankOf = new Map([...calls(0), ...calls(1)]
      .sort((x, y) => y.priority - x.priority || x.seniority - y.seniority).map((c, i) => [c.callId, i]));
    const servedBy = (when: (x: AssignmentRecord) => number): AssignmentRecord[] => [...all].sort((x, y) => when(x) - when(y));
    const displacementOf = (order: readonly AssignmentRecord[]): number => Math.max(...order.map((x, i) => Math.abs(i - (rankOf.get(x.callId) ?? -1))));
    const served = servedBy((x) => x.reservedAt ?? 0);
    const displacement = displacementOf(served);
    // Each reservation takes the head of the queue (the exact order is asserted in two-nodes.test.ts);
    // a caller put back after a reap keeps its seniority and is taken again a little later.
    expect(displacement).toBeLessThanOrEqual(agents * 4);
    const priorityLast = Math.max(...served.map((x, i) => (rankOf.get(x.callId) ?? 0) < 200 ? i : -1));
    expect(priorityLast).toBeLessThan(200 + agents * 4);
    await until('all agents ready', async () => (await store.listAgents()).every((x) => x.state.status === 'ready'));
    expect(reports.flatMap((r) => Object.keys(r.failures))).toEqual([]);
    console.log(`2 processes: 2000 reservations in ${ms} ms (${Math.round(2000 / (ms / 1000))}/s), max order displacement ${displacement} (by Redis's reservation time; ${displacementOf(servedBy((x) => x.assignedAt))} by the nodes' notice times), split ${reports.map((r) => r.assignments.length).join('/')}, node CPU ${reports.map((r) => r.cpuMs).join('/')} ms`);
  }, 120_000);

  it('a node SIGKILLed holding reservations: within ttl + beat its callers are gone; its ringing agents ready when their ring is over, not before', async () => {
    const reg = clusterCity(10, { ringSeconds: 1 });
    const a = await startRouterNode({ redisUrl: redis.url, registry: reg, beatMs: BEAT, ttlMs: TTL, answer: 'never' });
    const b = await startRouterNode({ redisUrl: redis.url, registry: reg, beatMs: BEAT, ttlMs: TTL });
    const store = await watch();
    await a.call('enqueue', Array.from({ length: 30 }, (_, i) => ({ callId: `k${i}`, priority: 0 })));
    await b.call('ready', agentIds(0, 10));
    await until('10 ringing for A', async () => (await store.listAgents()).filter((x) => x.state.status === 'ringing').length === 10);
    const ringEnds = Math.max(...(await store.listAgents()).map((x) => (x.state.status === 'ringing' ? x.state.ringEndsAt ?? Infinity : 0)));
    const clock = await watchRegistryClock(redis.url);
    try {
      const killedAt = Date.now();
      await a.kill();
      await until('A\'s callers reaped', async () => (await store.length('general')) === 0, 10_000);
      const took = Date.now() - killedAt;
      const leftOut = await clock.leftOut();
      expect(took - leftOut).toBeLessThanOrEqual(TTL + BEAT + 500);
      await until('A\'s agents ready', async () => (await store.listAgents()).every((x) => x.state.status === 'ready'), 10_000);
      const freedAt = Date.now();
      // Never before the ring is over (the phone rings: a paused node could still bridge it), and
      // within one beat of it (or of the reap, if that came later).
      expect(freedAt).toBeGreaterThanOrEqual(ringEnds);
      expect(freedAt - Math.max(ringEnds, killedAt + TTL + await clock.leftOut())).toBeLessThanOrEqual(BEAT + 500);
      expect((await b.report()).failures).toEqual({});
      console.log(`SIGKILL → 20 entries removed in ${took} ms (bound ${TTL + BEAT} ms + round trips; the registry's clock left out ${leftOut} ms), 10 ringing agents ready ${freedAt - ringEnds} ms after their ring ended`);
    } finally {
      clock.close();
    }
  }, 30_000);

  it('redis-server stopped and restarted (empty) under load: fast failures, nothing double-booked, nothing stuck, nobody lost', async () => {
    const reg = clusterCity(20);
    const nodes: RouterNode[] = await Promise.all([0, 1].map(() => startRouterNode({ redisUrl: redis.url, registry: reg, beatMs: BEAT, ttlMs: TTL, talkMs: 20 })));
    const store = await watch();
    await Promise.all(nodes.map((n, i) => n.call('ready', agentIds(i * 10, i * 10 + 10))));
    const accepted: string[] = [];
    const degraded: string[] = [];
    let seq = 0;
    let phase: 'up' | 'down' | 'back' = 'up';
    const started = Date.now();
    const outage = (async () => {
      await new Promise((r) => setTimeout(r, 1000));
      await redis.stop();
      phase = 'down';
      await new Promise((r) => setTimeout(r, 1500));
      await redis.restart();
      phase = 'back';
    })();
    while (Date.now() - started < 4000) {
      await Promise.all(nodes.map(async (n, i) => {
        const batch = Array.from({ length: 5 }, () => ({ callId: `r${i}-${(seq += 1)}`, priority: 0 }));
        const rejected = await n.call<{ callId: string; code: string }[]>('enqueue', batch);
        const failed = new Set(rejected.map((r) => r.callId));
        for (const r of rejected) expect(r.code).toBe('store-unavailable');
        for (const c of batch) (failed.has(c.callId) ? degraded : accepted).push(c.callId);
        // Agents whose desk shows them logged out (an empty Redis forgot them) log in again.
        if (phase === 'back') await n.call('ready', agentIds(i * 10, i * 10 + 10));
      }));
      await new Promise((r) => setTimeout(r, 50));
    }
    await outage;
    await Promise.all(nodes.map((n, i) => n.call('ready', agentIds(i * 10, i * 10 + 10))));
    let reports: Report[] = [];
    let asked = Date.now();
    await until('every accepted caller served', async () => {
      // An agent told 503 while its node was still restoring profiles tries again, as a desk would.
      if (Date.now() - asked > 1000) {
        asked = Date.now();
        await Promise.all(nodes.map((n, i) => n.call('ready', agentIds(i * 10, i * 10 + 10))));
      }
      reports = await Promise.all(nodes.map((n) => n.report()));
      const served = new Set(reports.flatMap((r) => r.assignments.filter((x) => x.endAt !== undefined).map((x) => x.callId)));
      return accepted.every((c) => served.has(c));
    }, 60_000);
    const all = reports.flatMap((r) => r.assignments);
    expect(doubleBookings(all)).toEqual([]);
    expect(new Set(all.map((x) => x.callId)).size).toBe(all.length);
    // Accounting: every caller was served or released to the degraded path (the dialplan's fallback).
    expect(accepted.length + degraded.length).toBe(seq);
    expect(degraded.length).toBeGreaterThan(0);
    await until('no agent stuck', async () => (await store.listAgents()).every((x) => x.state.status === 'ready'), 10_000);
    expect(await store.length('general')).toBe(0);
    expect(reports.every((r) => r.storeConnected)).toBe(true);
    // Allowed: the ACD's own store errors, and agents told 503 while the store was away or being
    // restored (they retry). Nothing else: no unknown agent, no illegal state, no script error.
    const unexpected = reports.flatMap((r) => Object.keys(r.failures))
      .filter((k) => k !== 'store-unavailable' && k !== 'HOTLINE_ERR_STORE_UNAVAILABLE');
    expect(unexpected).toEqual([]);
    console.log(`redis restart under load: ${seq} callers, ${accepted.length} served, ${degraded.length} released to the fallback, ${all.length} assignments`);
  }, 120_000);
});
