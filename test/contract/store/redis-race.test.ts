/**
 * Two router nodes — two RedisAcdStore instances on two connections — racing on one ACD:
 * raw reservations (2,000 concurrent attempts, 50 agents × 500 callers) never double-book and
 * every failure is explained by a winner; full dispatch rounds from both nodes keep FIFO by
 * (priority, seniority, seq); concurrent state changes without a version all apply by CAS retry.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis, RedisAcdStore } from '../../../src/adapters/store/redis/index.js';
import { dispatch, queueLookup, type Assignment } from '../../../src/app/acd/dispatch.js';
import { compareEntries } from '../../../src/core/acd/queue-order.js';
import type { ReserveResult } from '../../../src/core/acd/store-port.js';
import type { AgentSnapshot, QueueEntry } from '../../../src/core/acd/types.js';
import { requireRedisServer, startRedisServer, type RedisServer } from '../../support/redis-server.js';
import { readyAgent } from './store-contract.js';

const haveRedis = requireRedisServer();

/** mulberry32: a seeded PRNG so a failure can be replayed */
function rng(seed: number): (n: number) => number {
  let a = seed;
  return (n) => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

const Q = { name: 'q', skills: [], maxWaitSeconds: 60, maxLength: 10_000, wrapUpSeconds: 0, schedule: 's',
  announceEverySeconds: 0, serviceLevelSeconds: 15, ringSeconds: 20, selection: 'longest-idle' as const };
const queues = queueLookup({ q: Q });
const T0 = 1_800_000_000_000;
/** concurrent dispatch rounds per wave: every one of them races for the same head caller and best agent */
const WAVE = 64;

describe.skipIf(!haveRedis)('redis store: two nodes racing', () => {
  let server: RedisServer;
  let clients: Redis[] = [];
  let run = 0;

  beforeAll(async () => {
    server = await startRedisServer();
    clients = [await connectRedis(server.url), await connectRedis(server.url)];
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await server.stop();
  });

  /** Both nodes on one fresh deployment, 50 ready agents and 500 callers with many equal seniorities. */
  async function setup(seed: number): Promise<{ nodes: RedisAcdStore[]; agents: AgentSnapshot[]; callers: QueueEntry[]; rand: (n: number) => number }> {
    const deployment = `race-${++run}`;
    const nodes = clients.map((c) => new RedisAcdStore(c, { deployment }));
    const [a, b] = nodes as [RedisAcdStore, RedisAcdStore];
    const rand = rng(seed);
    const agents = await Promise.all(Array.from({ length: 50 }, (_, i) => readyAgent(i % 2 ? a : b, `a${i}`, ['q'], T0 + i)));
    const callers = await Promise.all(Array.from({ length: 500 }, (_, i) =>
      (i % 2 ? a : b).enqueue('q', { callId: `c${i}`, priority: rand(3), enqueuedAt: T0 + rand(20) })));
    return { nodes, agents, callers, rand };
  }

  it('2,000 concurrent reserve attempts from two nodes: no double booking, every loss explained', async () => {
    const { nodes, agents, callers, rand } = await setup(42);
    const attempts = Array.from({ length: 2000 }, (_, i) => ({ node: nodes[i % 2]!, agent: agents[rand(50)]!, caller: callers[rand(500)]! }));
    const results: ReserveResult[] = await Promise.all(attempts.map(({ node, agent, caller }) => node.reserveAgent({
      agentId: agent.id, expectedVersion: agent.version, queueId: 'q', callId: caller.callId, reservedUntil: T0 + 5_000, now: T0 + 100,
    })));
    const agentWon = new Map<string, string>();
    const callerWon = new Map<string, string>();
    results.forEach((r, i) => {
      if (!r.ok) return;
      const { agent, caller } = attempts[i]!;
      expect(agentWon.has(agent.id), `agent ${agent.id} reserved twice`).toBe(false);
      expect(callerWon.has(caller.callId), `caller ${caller.callId} reserved twice`).toBe(false);
      agentWon.set(agent.id, caller.callId);
      callerWon.set(caller.callId, agent.id);
      expect(r.agent.state).toEqual({ status: 'reserved', callId: caller.callId, queueId: 'q', reservedUntil: T0 + 5_000 });
      expect(r.entry).toEqual(caller);
    });
    results.forEach((r, i) => {
      if (r.ok) return;
      const { agent, caller } = attempts[i]!;
      // A loss is only ever caused by a winner: the agent was taken, or the caller was.
      if (r.reason === 'agent-changed') expect(agentWon.has(agent.id)).toBe(true);
      else if (r.reason === 'caller-gone') expect(callerWon.has(caller.callId)).toBe(true);
      else throw new Error(`unexpected failure ${r.reason}`);
    });
    expect(agentWon.size).toBeGreaterThan(40);
    // What the other node sees agrees with the winners.
    const [a, b] = nodes as [RedisAcdStore, RedisAcdStore];
    for (const agent of await b.listAgents()) {
      const callId = agentWon.get(agent.id);
      expect(agent.state.status).toBe(callId === undefined ? 'ready' : 'reserved');
      if (callId !== undefined) expect(agent.state).toMatchObject({ callId });
    }
    const waiting = await a.waiting('q');
    expect(waiting).toHaveLength(500 - callerWon.size);
    expect(waiting.some((e) => callerWon.has(e.callId))).toBe(false);
    expect(waiting).toEqual(callers.filter((c) => !callerWon.has(c.callId)).sort(compareEntries));
    expect((await b.listCandidates('q')).map((x) => x.id).sort()).toEqual(agents.map((x) => x.id).filter((id) => !agentWon.has(id)).sort());
  });

  it('dispatch rounds from both nodes serve every caller exactly once, in (priority, seniority, seq) order', async () => {
    const { nodes, callers } = await setup(7);
    const order = [...callers].sort(compareEntries).map((e) => e.callId);
    let served = 0;
    let attempts = 0;
    let now = T0 + 1_000;
    for (let wave = 0; served < order.length; wave++) {
      expect(wave, 'no progress').toBeLessThan(500);
      now += 1;
      const got: Assignment[] = (await Promise.all(Array.from({ length: WAVE }, (_, i) =>
        dispatch(nodes[i % 2]!, queues, { kind: 'caller-enqueued', queueId: 'q' }, now, { maxAssignments: 1 })))).flat();
      attempts += WAVE;
      const agentsUsed = new Set(got.map((x) => x.agent.id));
      expect(agentsUsed.size, 'an agent got two callers in one wave').toBe(got.length);
      // Nobody is served before a caller ahead of them: the wave took the next callers in order.
      expect(got.map((x) => x.entry.callId).sort()).toEqual(order.slice(served, served + got.length).sort());
      served += got.length;
      await Promise.all(got.map((x, i) => nodes[i % 2]!.releaseAgent(x.agent.id, x.entry.callId, now)));
    }
    expect(attempts).toBeGreaterThanOrEqual(500);
    expect(await nodes[0]!.length('q')).toBe(0);
    expect((await nodes[1]!.listCandidates('q'))).toHaveLength(50);
  }, 60_000);

  it('concurrent state changes without a version from both nodes all apply (compare-and-set retry)', async () => {
    const deployment = `race-${++run}`;
    const [a, b] = clients.map((c) => new RedisAcdStore(c, { deployment, maxCasRetries: 1000 })) as [RedisAcdStore, RedisAcdStore];
    const start = await readyAgent(a, 'a1', ['q'], T0);
    const reasons = ['break', 'meeting', 'training', 'other'] as const;
    const rs = await Promise.all(Array.from({ length: 200 }, (_, i) =>
      (i % 2 ? a : b).applyAgentEvent('a1', { type: 'not-ready', reason: reasons[i % 4]! }, T0 + i)));
    expect(rs.every((r) => r.ok)).toBe(true);
    const versions = rs.map((r) => (r.ok ? r.agent.version : -1)).sort((x, y) => x - y);
    expect(versions).toEqual(Array.from({ length: 200 }, (_, i) => start.version + 1 + i));
    expect((await b.getAgent('a1'))?.version).toBe(start.version + 200);
    expect(await a.listCandidates('q')).toEqual([]);
  });
});
