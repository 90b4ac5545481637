/**
 * The reap script on a real redis-server, step by step with explicit times: a dead node's
 * waiting callers leave, its reserved agents are released at once, an agent whose phone still
 * rings for it keeps the reservation until the ring is over (then the expiry frees it), and a
 * node that beats again after being reaped learns it (beat → false); the store's own stall
 * (DEBUG SLEEP) past every TTL reaps nobody, and a node that stopped beating before it is reaped
 * once the registry's clock has run its TTL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis, RedisAcdStore, RedisNodeRegistry } from '../../../src/adapters/store/redis/index.js';
import { requireRedisServer, startRedisServer, type RedisServer } from '../../support/redis-server.js';
import { readyAgent } from '../store/store-contract.js';

describe.skipIf(!requireRedisServer())('reap of a dead node (Redis)', () => {
  let redis: RedisServer;

  beforeAll(async () => { redis = await startRedisServer(); });
  afterAll(async () => { await redis.stop(); });

  it('waiting callers leave, reserved agents are freed at once, ringing ones at their ring end; the node learns it was reaped', async () => {
    const client = await connectRedis(redis.url);
    const store = new RedisAcdStore(client, { ownsClient: true, deployment: 'reap' });
    const reg = new RedisNodeRegistry(client, 'reap');
    try {
      const t = Date.now();
      expect(await reg.beat('A', { ttlMs: 60_000, beatMs: 1000 })).toBe(false);
      expect(await reg.beat('A', { ttlMs: 60_000, beatMs: 1000 })).toBe(true);
      const r1 = await readyAgent(store, 'r1', ['q'], t);
      const r2 = await readyAgent(store, 'r2', ['q'], t);
      for (const c of ['c1', 'c2', 'c3']) await store.enqueue('q', { callId: c, priority: 0, enqueuedAt: t, owner: 'A' });
      const res1 = await store.reserveAgent({ agentId: 'r1', expectedVersion: r1.version, queueId: 'q', callId: 'c1', reservedUntil: t + 5000, now: t });
      const res2 = await store.reserveAgent({ agentId: 'r2', expectedVersion: r2.version, queueId: 'q', callId: 'c2', reservedUntil: t + 5000, now: t });
      expect(res1.ok && res2.ok).toBe(true);
      const ringEndsAt = t + 20_000;
      await store.applyAgentEvent('r2', { type: 'ring', callId: 'c2', ringUntil: t + 30_000, ringEndsAt }, t);
      expect((await reg.reap(t)).nodes).toEqual([]);
      // A's heartbeat gone, as at the end of its TTL.
      await reg.leave('A');
      const reaped = await reg.reap(t + 1000);
      expect(reaped.nodes).toEqual(['A']);
      expect(reaped.removed.map((e) => e.callId)).toEqual(['c3']);
      expect(reaped.released.map((a) => a.id)).toEqual(['r1']);
      expect(reaped.generation).toBe(1);
      expect((await store.getAgent('r1'))?.state).toEqual({ status: 'ready' });
      // Still ringing, now only until the phone stops.
      expect((await store.getAgent('r2'))?.state).toEqual({ status: 'ringing', callId: 'c2', queueId: 'q', reservedUntil: ringEndsAt, ringEndsAt });
      expect(await store.expireReservations(ringEndsAt - 1)).toEqual([]);
      expect((await store.expireReservations(ringEndsAt)).map((a) => a.id)).toEqual(['r2']);
      // Idempotent, and the node, beating again, is told its heartbeat was gone.
      expect((await reg.reap(t + 2000)).nodes).toEqual([]);
      expect(await reg.beat('A', { ttlMs: 60_000, beatMs: 1000 })).toBe(false);
    } finally {
      await store.close();
    }
  });

  it('a reservation made by a node that dies before handing it over is freed; the owner\'s caller is its own to put back', async () => {
    const client = await connectRedis(redis.url);
    const store = new RedisAcdStore(client, { ownsClient: true, deployment: 'by' });
    const reg = new RedisNodeRegistry(client, 'by');
    try {
      const t = Date.now();
      for (const id of ['owner', 'dispatcher']) await reg.beat(id, { ttlMs: 60_000, beatMs: 1000 });
      const r1 = await readyAgent(store, 'r1', ['q'], t);
      const r2 = await readyAgent(store, 'r2', ['q'], t);
      for (const c of ['c1', 'c2']) await store.enqueue('q', { callId: c, priority: 0, enqueuedAt: t, owner: 'owner' });
      await store.reserveAgent({ agentId: 'r1', expectedVersion: r1.version, queueId: 'q', callId: 'c1', reservedUntil: t + 5000, now: t, by: 'dispatcher' });
      await store.reserveAgent({ agentId: 'r2', expectedVersion: r2.version, queueId: 'q', callId: 'c2', reservedUntil: t + 5000, now: t, by: 'owner' });
      const before = (await reg.reap(t)).generation;
      await reg.leave('dispatcher');
      const reaped = await reg.reap(t + 1);
      expect(reaped.nodes).toEqual(['dispatcher']);
      expect(reaped.removed).toEqual([]);
      expect(reaped.released.map((a) => a.id)).toEqual(['r1']);
      expect(reaped.generation).toBe((before ?? 0) + 1);
      expect((await store.getAgent('r2'))?.state).toMatchObject({ status: 'reserved', callId: 'c2' });
    } finally {
      await store.close();
    }
  });

  it('a stall of the store itself reaps nobody; a node silent since before it is reaped one TTL of traffic later', async () => {
    const client = await connectRedis(redis.url);
    const reg = new RedisNodeRegistry(client, 'stall');
    const liveness = { ttlMs: 400, beatMs: 100 };
    const beatAndReap = async (): Promise<string[]> => {
      await reg.beat('A', liveness);
      return [...(await reg.reap(Date.now(), liveness.beatMs)).nodes];
    };
    try {
      await reg.beat('A', liveness);
      await reg.beat('C', liveness);
      // 1.2 s = 3 TTLs in which nobody could beat: Redis runs nothing else meanwhile.
      await client.call('DEBUG', 'SLEEP', '1.2');
      expect((await reg.reap(Date.now(), liveness.beatMs)).nodes).toEqual([]);
      expect(await reg.alive('A')).toBe(true);
      expect(await reg.alive('C')).toBe(true);
      // A beats on, C never again: C is reaped once A's traffic has run C's TTL on the clock.
      const from = Date.now();
      let reaped: string[] = [];
      while (reaped.length === 0 && Date.now() - from < 3_000) {
        await new Promise((r) => setTimeout(r, liveness.beatMs));
        reaped = await beatAndReap();
      }
      const after = Date.now() - from;
      expect(reaped).toEqual(['C']);
      // C's deadline was at most one grace (a beat) and its own TTL away when the store ran again.
      expect(after).toBeLessThanOrEqual(liveness.ttlMs + 2 * liveness.beatMs);
      expect(await reg.alive('C')).toBe(false);
      expect(await reg.beat('A', liveness)).toBe(true);
      expect(await reg.beat('C', liveness)).toBe(false);
    } finally {
      client.disconnect();
    }
  });
});
