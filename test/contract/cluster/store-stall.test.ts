/**
 * The store itself stalls: redis-server SIGSTOPped for 2.5 × the heartbeat TTL while callers wait
 * and agents ring and talk, then SIGCONT. By Redis's clock every heartbeat is older than the TTL
 * when it runs again, though no node missed a beat it could have made. What must hold:
 *
 *  - no live node reaped (no beat finds its node reaped, no node reaps, nobody put back in line),
 *    every caller served exactly once, no agent double-booked, the store's order kept (ranked by
 *    Redis's reservation time, no caller reserved ahead of a more senior one);
 *  - a node that really died during the stall (SIGKILL) is still reaped, within TTL + one beat
 *    of the store running again, its callers out of the line — and only it.
 *
 * The stall is shorter than the store client's command timeout (2 s): commands wait, none fails,
 * so what is tested is the registry's reading of time, not the outage handling.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectRedis, RedisAcdStore, RedisKeys } from '../../../src/adapters/store/redis/index.js';
import { probeRedis, requireRedisServer, startRedisServer, type RedisServer } from '../../support/redis-server.js';
import { startRouterNode, stopAllRouterNodes, type Report, type RouterNode } from '../../support/router-node.js';
import { overtakes, type Caller } from '../../support/starved-cluster.js';
import { clusterCity } from './fixtures.js';
import { doubleBookings } from './histories.js';
import { until } from './in-process.js';

const BEAT = 150;
const TTL = 600;
const STALL_MS = 1_500;
const AGENTS = 20;
const CALLERS = 600;
const TALK_MS = 300;
/** past TTL + beat: the reaping pass's store round trips and the test's 20 ms poll */
const SLACK_MS = 200;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function callers(node: number, count: number, t0: number): Caller[] {
  // Interleaved seniorities across the nodes; every 10th caller is a priority line.
  return Array.from({ length: count }, (_, i) => ({ callId: `n${node}-${i}`, seniority: t0 + (2 * i + node) * 10, priority: i % 10 === 0 ? 1 : 0 }));
}

describe.skipIf(!requireRedisServer())('the store stalls longer than the heartbeat TTL', () => {
  let redis: RedisServer;
  let store: RedisAcdStore | undefined;

  beforeEach(async () => { redis = await startRedisServer(); });
  afterEach(async () => {
    if (redis.pid !== undefined) process.kill(redis.pid, 'SIGCONT');
    await stopAllRouterNodes();
    await store?.close();
    store = undefined;
    await redis.stop();
  });

  /** SIGSTOP redis-server for `ms`, running `during` meanwhile; resolves with the time it runs again. */
  async function stall(ms: number, during: () => Promise<void> = () => Promise.resolve()): Promise<number> {
    const pid = redis.pid;
    if (pid === undefined) throw new Error('redis-server not running');
    const from = Date.now();
    process.kill(pid, 'SIGSTOP');
    try {
      await during();
      await sleep(ms - (Date.now() - from));
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    return Date.now();
  }

  it(`${STALL_MS} ms (TTL ${TTL}, beat ${BEAT}) while ${CALLERS} callers wait and agents ring and talk: no live node reaped, everyone served once in order, no double booking`, async () => {
    const reg = clusterCity(AGENTS);
    const nodes: RouterNode[] = await Promise.all([0, 1].map(() => startRouterNode({ redisUrl: redis.url, registry: reg, beatMs: BEAT, ttlMs: TTL, talkMs: TALK_MS })));
    const t0 = Date.now() - 100_000;
    const calls = nodes.map((_, i) => callers(i, CALLERS / 2, t0));
    const rejected = await Promise.all(nodes.map((n, i) => n.call<unknown[]>('enqueue', calls[i])));
    expect(rejected.flat()).toEqual([]);
    await Promise.all(nodes.map((n, i) => n.call('ready', Array.from({ length: AGENTS / 2 }, (_, k) => `a${i * (AGENTS / 2) + k}`))));
    const served = async (): Promise<number> => (await Promise.all(nodes.map((n) => n.call<number>('served')))).reduce((x, y) => x + y, 0);
    // Every agent has had a caller and is on its second or third: some ring, most talk.
    await until('first callers served', async () => (await served()) >= 2 * AGENTS, 20_000);
    await stall(STALL_MS);
    await until('all served', async () => (await served()) >= CALLERS, 60_000);

    const reports: Report[] = await Promise.all(nodes.map((n) => n.report()));
    for (const r of reports) {
      expect(r.beats?.lost, `${r.nodeId}: beats that found the node reaped`).toBe(0);
      expect(r.warnings['cluster: reaped dead nodes'] ?? 0, `${r.nodeId}: reaps`).toBe(0);
      expect(Object.keys(r.requeued), `${r.nodeId}: callers put back in line`).toEqual([]);
      expect(r.failures, `${r.nodeId}: ACD calls failed`).toEqual({});
    }
    const all = reports.flatMap((r) => r.assignments);
    expect(all).toHaveLength(CALLERS);
    expect(new Set(all.map((x) => x.callId)).size).toBe(CALLERS);
    expect(doubleBookings(all)).toEqual([]);
    expect(overtakes(all, calls.flat())).toEqual([]);
    store = new RedisAcdStore(await connectRedis(redis.url), { ownsClient: true });
    const s = store;
    await until('all agents ready, line empty', async () => (await s.length('general')) === 0
      && (await s.listAgents()).every((x) => x.state.status === 'ready'), 10_000);
    console.log(`store stalled ${STALL_MS} ms: beats A/B ${reports.map((r) => r.beats?.beats).join('/')}, longest gap between acknowledgements ${reports.map((r) => r.beats?.maxGapMs).join('/')} ms`);
  }, 120_000);

  it('a node SIGKILLed during the stall is reaped within TTL + one beat of the store running again, and only it', async () => {
    const reg = clusterCity(4);
    const [a, b, c] = await Promise.all([0, 1, 2].map(() => startRouterNode({ redisUrl: redis.url, registry: reg, beatMs: BEAT, ttlMs: TTL })));
    if (a === undefined || b === undefined || c === undefined) throw new Error('nodes');
    // Nobody ready: the callers wait. C's are the ones that must leave with it.
    const t0 = Date.now() - 100_000;
    for (const [i, n] of [a, b, c].entries()) expect(await n.call<unknown[]>('enqueue', callers(i, 20, t0))).toEqual([]);
    store = new RedisAcdStore(await connectRedis(redis.url), { ownsClient: true });
    expect(await store.length('general')).toBe(60);
    const probe = probeRedis(redis.url);
    const nodesKey = new RedisKeys().nodes();
    try {
      expect((await probe.smembers(nodesKey)).sort()).toEqual([a.nodeId, b.nodeId, c.nodeId].sort());
      const resumedAt = await stall(STALL_MS, () => c.kill());
      await until('C reaped', async () => !(await probe.smembers(nodesKey)).includes(c.nodeId), 5 * TTL);
      const reapedAfter = Date.now() - resumedAt;
      expect((await probe.smembers(nodesKey)).sort()).toEqual([a.nodeId, b.nodeId].sort());
      expect(await store.length('general')).toBe(40);
      // The protocol's bound, plus what it says comes on top (the reaping pass's own store round
      // trips) and this poll's period (20 ms): the reap is seen up to one poll late.
      expect(reapedAfter, `C reaped ${reapedAfter} ms after the store ran again`).toBeLessThanOrEqual(TTL + BEAT + SLACK_MS);
      // Beats go on: A and B stay, were never told they had been reaped, reaped only C.
      await sleep(2 * TTL);
      const reports = await Promise.all([a.report(), b.report()]);
      for (const r of reports) expect(r.beats?.lost, `${r.nodeId}: beats that found the node reaped`).toBe(0);
      expect(reports.reduce((n, r) => n + (r.warnings['cluster: reaped dead nodes'] ?? 0), 0)).toBe(1);
      expect((await probe.smembers(nodesKey)).sort()).toEqual([a.nodeId, b.nodeId].sort());
      console.log(`store stalled ${STALL_MS} ms with a node killed in it: reaped ${reapedAfter} ms after the store ran again (bound ${TTL + BEAT})`);
    } finally {
      probe.disconnect();
    }
  }, 60_000);
});
