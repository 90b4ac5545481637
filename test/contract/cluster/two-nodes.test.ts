/**
 * Two router nodes in one process over one real redis-server (separate connections each): the
 * assignment for a caller another node holds is delivered to that node, seniority is global,
 * positions and estimates agree, a dead node is reaped within ttl + beat, and a Redis restart
 * (empty) is ridden through: fast failures meanwhile, callers back in line after it.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AgentOperationError } from '../../../src/app/acd/acd-model.js';
import { isStoreUnavailable } from '../../../src/core/acd/store-port.js';
import { requireRedisServer, startRedisServer, type RedisServer } from '../../support/redis-server.js';
import { clusterCity } from './fixtures.js';
import { assignedTo, startNode, until, type Node } from './in-process.js';
import { watchRegistryClock } from './registry-clock.js';

// Both nodes live in the test process: the TTL must outlast the pauses a loaded CI machine gives
// it (at 400 ms, a CPU hog beside the suite had B reap a live A between two reads of a view).
const BEAT = 200;
const TTL = 1000;

describe.skipIf(!requireRedisServer())('two router nodes, one Redis', () => {
  let redis: RedisServer;
  let nodes: Node[] = [];
  let n = 0;

  beforeAll(async () => { redis = await startRedisServer(); });
  afterAll(async () => { await redis.stop(); });
  afterEach(async () => {
    for (const x of nodes) await x.close().catch(() => undefined);
    nodes = [];
    // Every test starts from an empty data set.
    await redis.restart();
  });

  async function two(agents = 3, general: Parameters<typeof clusterCity>[1] = {}): Promise<[Node, Node]> {
    const reg = clusterCity(agents, general);
    n += 1;
    const a = await startNode(redis.url, reg, `A${n}`, { beatMs: BEAT, ttlMs: TTL });
    const b = await startNode(redis.url, reg, `B${n}`, { beatMs: BEAT, ttlMs: TTL });
    nodes.push(a, b);
    return [a, b];
  }

  it('a caller held by A is assigned an agent made ready through B, and A rings', async () => {
    const [a, b] = await two();
    await a.call('c1');
    await b.acd.login('a0');
    await b.acd.ready('a0');
    await until('assignment on A', () => assignedTo(a, 'c1').length === 1);
    expect(assignedTo(a, 'c1')).toEqual(['a0']);
    expect(b.notices.size).toBe(0);
    const agent = await b.acd.agent('a0');
    expect(agent).toMatchObject({ status: 'ringing', callId: 'c1' });
    await a.acd.agentAnswered('c1', 'a0');
    expect((await b.acd.agent('a0')).status).toBe('on-call');
    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
  });

  it('an assignment the caller\'s live node did not hear is sent again: the agent is kept for that caller, not given to the next', async () => {
    const [a, b] = await two(1);
    const t = Date.now();
    await a.call('first', { seniority: t - 2000 });
    await b.call('second', { seniority: t - 1000 });
    await a.deafen();
    await b.acd.login('a0');
    await b.acd.ready('a0');
    await until('a0 reserved for first', async () => (await b.acd.agent('a0')).status === 'reserved');
    // Several resends go unheard meanwhile; the reservation holds (a release would have let the
    // dispatcher give a0 to `second`, now at the head of the line).
    await new Promise((r) => setTimeout(r, 350));
    expect(await b.acd.agent('a0')).toMatchObject({ status: 'reserved', callId: 'first' });
    await a.hear();
    await until('first assigned on A', () => assignedTo(a, 'first').length === 1);
    expect(assignedTo(b, 'second')).toEqual([]);
    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
  });

  it('serves callers in (priority, seniority) order across both nodes', async () => {
    const [a, b] = await two(1);
    const t = Date.now();
    await a.call('a-old', { seniority: t - 3000 });
    await b.call('b-older', { seniority: t - 5000 });
    await a.call('a-new', { seniority: t - 1000 });
    await b.call('b-vip', { seniority: t - 500, priority: 5 });
    const order: string[] = [];
    const holder = (callId: string): Node => (callId.startsWith('a') ? a : b);
    await a.acd.login('a0');
    for (let i = 0; i < 4; i++) {
      // Readied alternately through either node: the choice is the store's, not the node's.
      await (i % 2 === 0 ? a : b).acd.ready('a0');
      const served = await until('next assignment', () => [a, b].some((x) => [...x.notices.keys()].some((c) => !order.includes(c) && assignedTo(x, c).length > 0)))
        .then(() => [...a.notices.keys(), ...b.notices.keys()].find((c) => !order.includes(c)));
      if (served === undefined) throw new Error('nobody served');
      order.push(served);
      await holder(served).acd.agentAnswered(served, 'a0');
      await holder(served).acd.conversationEnded(served, 'a0');
      await (i % 2 === 0 ? b : a).acd.notReady('a0', 'break');
    }
    expect(order).toEqual(['b-vip', 'b-older', 'a-old', 'a-new']);
  });

  it('positions and wait estimates agree on every node', async () => {
    const [a, b] = await two(2);
    for (let i = 0; i < 6; i++) await (i % 2 === 0 ? a : b).call(`p${i}`);
    await a.acd.login('a0');
    const fromB = await b.acd.waitingCalls();
    const fromA = await a.acd.waitingCalls();
    expect(fromA.map((w) => [w.callId, w.position])).toEqual(fromB.map((w) => [w.callId, w.position]));
    for (const w of fromB) {
      const holder = Number(w.callId.slice(1)) % 2 === 0 ? a : b;
      expect((await holder.acd.status(w.callId))?.position).toBe(w.position);
    }
    // The same view, read one after the other: only the oldest wait may have moved on meanwhile
    // (a slow machine can cross a second boundary between the two reads).
    const t0 = Date.now();
    const qa = (await a.acd.queues()).find((q) => q.id === 'general');
    const qb = (await b.acd.queues()).find((q) => q.id === 'general');
    const apart = Math.ceil((Date.now() - t0) / 1000);
    expect({ ...qa, oldestWaitSeconds: 0 }).toEqual({ ...qb, oldestWaitSeconds: 0 });
    expect((qb?.oldestWaitSeconds ?? 0) - (qa?.oldestWaitSeconds ?? 0)).toBeGreaterThanOrEqual(0);
    expect((qb?.oldestWaitSeconds ?? 0) - (qa?.oldestWaitSeconds ?? 0)).toBeLessThanOrEqual(apart);
  });

  it('a node that dies holding reservations is reaped within ttl + beat: its callers leave at once, its ringing agents when their ring is over', async () => {
    const [a, b] = await two(3, { ringSeconds: 1 });
    for (let i = 0; i < 5; i++) await a.call(`d${i}`);
    for (const id of ['a0', 'a1']) {
      await b.acd.login(id);
      await b.acd.ready(id);
    }
    await until('two ringing for A', () => assignedTo(a, 'd0').length + assignedTo(a, 'd1').length === 2);
    const ringing = (await b.store.listAgents()).filter((x) => x.state.status === 'ringing');
    expect(ringing).toHaveLength(2);
    const ringEnds = Math.max(...ringing.map((x) => (x.state.status === 'ringing' ? x.state.ringEndsAt ?? Infinity : Infinity)));
    const clock = await watchRegistryClock(redis.url);
    try {
      const diedAt = Date.now();
      await a.crash();
      const took = await until('A reaped', async () => (await b.store.length('general')) === 0, 5_000);
      const leftOut = await clock.leftOut();
      // The bound: TTL after A's last beat, plus B's beat period, plus a little for the round trips.
      expect(Date.now() - diedAt - leftOut).toBeLessThanOrEqual(TTL + BEAT + 300);
      // Their phones still ring (A might only be paused, and bridge on its return): not offered on.
      if (Date.now() < ringEnds - 50) expect((await b.acd.agents()).filter((x) => x.status === 'ringing')).toHaveLength(2);
      await until('agents ready', async () => (await b.acd.agents()).every((x) => x.status !== 'ringing' && x.status !== 'reserved'), 5_000);
      const freedAt = Date.now();
      const leftOutByFree = await clock.leftOut();
      expect(freedAt).toBeGreaterThanOrEqual(ringEnds);
      expect(freedAt - Math.max(ringEnds, diedAt + TTL + leftOutByFree)).toBeLessThanOrEqual(BEAT + 300);
      expect((await b.acd.agent('a0')).status).toBe('ready');
      expect((await b.acd.agent('a1')).status).toBe('ready');
      console.log(`node death → callers reaped in ${took} ms (bound ${TTL + BEAT} ms + round trips; the registry's clock left out ${leftOut} ms); ringing agents ready ${freedAt - ringEnds} ms after their ring ended`);
    } finally {
      clock.close();
    }
  });

  it('Redis down: enqueue and agent operations fail fast with the typed error; back (empty): resynchronised by itself', async () => {
    const [a, b] = await two(2);
    const t = Date.now();
    await a.call('w1', { seniority: t - 2000 });
    await b.call('w2', { seniority: t - 1000 });
    await redis.stop();
    const started = Date.now();
    const err = await a.call('w3').then(() => null, (e: unknown) => e);
    expect(isStoreUnavailable(err)).toBe(true);
    const agentErr = await b.acd.login('a0').then(() => null, (e: unknown) => e);
    expect(agentErr).toBeInstanceOf(AgentOperationError);
    expect((agentErr as AgentOperationError).code).toBe('HOTLINE_ERR_STORE_UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(500);
    await until('A notices', () => !a.acd.storeConnected);
    await redis.restart();
    await until('both resynchronised', async () => a.acd.storeConnected && b.acd.storeConnected
      && (await a.store.length('general')) === 2, 5_000);
    // Agents are back (profiles re-upserted; an empty Redis lost their login) and the callers
    // are back in their old order.
    expect((await a.acd.waitingCalls()).map((w) => w.callId)).toEqual(['w1', 'w2']);
    await b.acd.login('a0');
    await b.acd.ready('a0');
    await until('w1 assigned on A', () => assignedTo(a, 'w1').length === 1);
    expect(assignedTo(b, 'w2')).toEqual([]);
  });
});
