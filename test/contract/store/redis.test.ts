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

  // A rolling upgrade: nodes that store the caller's number share Redis with nodes that do not.
  // An older node's enqueue writes the call hash without a `caller` field (nothing else differs);
  // every read of such an entry gives it without a number, and the newer fields keep their place.
  it('an entry an older node wrote (no caller field) reads back without a caller, everywhere', async () => {
    const s = new RedisAcdStore(redis.client, { deployment: `contract-${++n}` });
    await s.enqueue('q1', { callId: 'old', priority: 0, enqueuedAt: 10, line: '12328', caller: '13812345678', owner: 'n1' });
    await s.enqueue('q1', { callId: 'new', priority: 0, enqueuedAt: 20, line: '12315', caller: '13987654321', owner: 'n1' });
    expect(await redis.client.hdel(s.keys.call('old'), 'caller')).toBe(1);
    const [old, fresh] = await s.waiting('q1');
    expect(old).toEqual({ callId: 'old', queueId: 'q1', priority: 0, seniority: 10, seq: old!.seq, enqueuedAt: 10, line: '12328', owner: 'n1' });
    expect(fresh).toMatchObject({ callId: 'new', line: '12315', caller: '13987654321', owner: 'n1' });
    expect(await s.peek('q1')).not.toHaveProperty('caller');
    const moved = await s.moveEntry('q1', 'q2', 'old', 30);
    expect(moved).toMatchObject({ line: '12328', overflowedFrom: 'q1' });
    expect(moved).not.toHaveProperty('caller');
    const a = await readyAgent(s, 'a1', ['q2'], 40);
    const r = await s.reserveAgent({ agentId: 'a1', expectedVersion: a.version, queueId: 'q2', callId: 'old', reservedUntil: 5000, now: 50 });
    if (!r.ok) throw new Error(`expected a reservation: ${r.reason}`);
    expect(r.entry).not.toHaveProperty('caller');
    expect(r.entry).toMatchObject({ line: '12328', owner: 'n1' });
    // The reply's last element (Redis's TIME) is still read as such after the entry row.
    expect(r.at).toBeGreaterThan(0);
  });
});
