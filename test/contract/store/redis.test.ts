/**
 * The shared store contract on a real redis-server: each store gets its own deployment prefix
 * on one shared connection, so tests never see each other's keys.
 */
import { describe, expect, it } from 'vitest';
import { RedisAcdStore } from '../../../src/adapters/store/redis/index.js';
import { useRedisClient } from '../../support/redis-client.js';
import { requireRedisServer } from '../../support/redis-server.js';
import { describeStoreContract, readyAgent } from './store-contract.js';

const haveRedis = requireRedisServer();

describe.skipIf(!haveRedis)('redis store', () => {
  const redis = useRedisClient();
  let n = 0;

  describeStoreContract('redis', () => new RedisAcdStore(redis.client, { deployment: `contract-${++n}` }));

  // Order measurements across nodes (the chaos test's seniority bound) need the order Redis ran the
  // reservations in, not the dispatchers' clocks: the reply carries Redis's TIME.
  it('a reservation carries the time Redis made it, in the order Redis made them', async () => {
    const s = new RedisAcdStore(redis.client, { deployment: `contract-${++n}` });
    const before = Date.now();
    const a1 = await readyAgent(s, 'a1', ['q1'], 1);
    const a2 = await readyAgent(s, 'a2', ['q1'], 1);
    await s.enqueue('q1', { callId: 'c1', priority: 0, enqueuedAt: 10 });
    await s.enqueue('q1', { callId: 'c2', priority: 0, enqueuedAt: 11 });
    const r1 = await s.reserveAgent({ agentId: a1.id, expectedVersion: a1.version, queueId: 'q1', callId: 'c1', reservedUntil: 5000, now: 20 });
    const r2 = await s.reserveAgent({ agentId: a2.id, expectedVersion: a2.version, queueId: 'q1', callId: 'c2', reservedUntil: 5000, now: 20 });
    if (!r1.ok || !r2.ok || r1.at === undefined || r2.at === undefined) throw new Error(`expected two timed reservations: ${JSON.stringify([r1, r2])}`);
    expect(r2.at).toBeGreaterThan(r1.at);
    // Redis's clock is this machine's: within the test's own span, to the millisecond.
    expect(r1.at).toBeGreaterThanOrEqual(before - 1);
    expect(r2.at).toBeLessThanOrEqual(Date.now() + 1);
  });
});
