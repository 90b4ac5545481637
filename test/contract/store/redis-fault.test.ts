/**
 * Redis going away: while the server is down every operation rejects at once with
 * StoreUnavailableError (no offline queue, nothing hangs); a server that hangs makes a command
 * reject after commandTimeout; after a restart the same client and store work again.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis, RedisAcdStore, StoreUnavailableError, whenReady } from '../../../src/adapters/store/redis/index.js';
import { requireRedisServer, startRedisServer, type RedisServer } from '../../support/redis-server.js';
import { readyAgent } from './store-contract.js';

const haveRedis = requireRedisServer();

async function rejectsUnavailable(op: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  const err = await op().then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(StoreUnavailableError);
  expect((err as StoreUnavailableError).code).toBe('store-unavailable');
  return performance.now() - t0;
}

describe.skipIf(!haveRedis)('redis store: server restart and hang', () => {
  let server: RedisServer;
  let client: Redis;

  beforeAll(async () => {
    server = await startRedisServer();
    client = await connectRedis(server.url, { redis: { commandTimeout: 500 } });
  });
  afterAll(async () => {
    client.disconnect();
    await server.stop();
  });

  it('rejects fast with a typed error while down, works again after restart on the same port', async () => {
    const s = new RedisAcdStore(client, { deployment: 'fault' });
    const a = await readyAgent(s, 'a1', ['q'], 1);
    await s.enqueue('q', { callId: 'c1', priority: 0, enqueuedAt: 10 });

    await server.stop();
    // Each operation kind: a plain read, a read script, a write script.
    const waits = [
      await rejectsUnavailable(() => s.getAgent('a1')),
      await rejectsUnavailable(() => s.waiting('q')),
      await rejectsUnavailable(() => s.reserveAgent({ agentId: 'a1', expectedVersion: a.version, queueId: 'q', callId: 'c1', reservedUntil: 99, now: 20 })),
      await rejectsUnavailable(() => s.applyAgentEvent('a1', { type: 'not-ready', reason: 'break' }, 20)),
      await rejectsUnavailable(() => s.enqueue('q', { callId: 'c2', priority: 0, enqueuedAt: 20 })),
    ];
    for (const ms of waits) expect(ms).toBeLessThan(1_000);

    await server.restart();
    await whenReady(client, 10_000);
    // The restarted server is empty (no persistence in tests): the store works from scratch.
    expect(await s.getAgent('a1')).toBeNull();
    const b = await readyAgent(s, 'a1', ['q'], 30);
    await s.enqueue('q', { callId: 'c1', priority: 0, enqueuedAt: 40 });
    const r = await s.reserveAgent({ agentId: 'a1', expectedVersion: b.version, queueId: 'q', callId: 'c1', reservedUntil: 99, now: 50 });
    expect(r.ok).toBe(true);
  });

  it('a command to a hung server rejects after commandTimeout instead of waiting forever', async () => {
    await whenReady(client, 10_000);
    const s = new RedisAcdStore(client, { deployment: 'hang' });
    const other = await connectRedis(server.url);
    try {
      // DEBUG SLEEP blocks the whole server, as a stuck or swapping Redis would.
      const sleeping = other.call('DEBUG', 'SLEEP', '1.5');
      await new Promise((r) => setTimeout(r, 50));
      const ms = await rejectsUnavailable(() => s.length('q'));
      expect(ms).toBeGreaterThanOrEqual(400);
      expect(ms).toBeLessThan(1_400);
      await sleeping;
      expect(await s.length('q')).toBe(0);
    } finally {
      other.disconnect();
    }
  });
});
