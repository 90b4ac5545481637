/** Agents' registrations (the SIP edge) on memory and on a real redis-server. */
import { describe, expect, it } from 'vitest';
import { MemoryRegistrations } from '../../../src/adapters/store/memory/index.js';
import { RedisRegistrations } from '../../../src/adapters/store/redis/index.js';
import { useRedisClient } from '../../support/redis-client.js';
import { requireRedisServer } from '../../support/redis-server.js';
import { describeRegistrationsContract } from './registrations-contract.js';

describeRegistrationsContract('memory', () => new MemoryRegistrations());

const haveRedis = requireRedisServer();

describe.skipIf(!haveRedis)('redis registrations', () => {
  const redis = useRedisClient();
  let n = 0;

  describeRegistrationsContract('redis', () => new RedisRegistrations(redis.client, `reg-${++n}`));

  it('two edges on one Redis see each other\'s registrations (one deployment)', async () => {
    const a = new RedisRegistrations(redis.client, 'shared-edges');
    const b = new RedisRegistrations(redis.client, 'shared-edges');
    const now = Date.now();
    await a.bind('1001', { contact: 'sip:1001@192.0.2.7:5062', expiresAt: now + 60_000, source: '192.0.2.7:5062' }, now);
    expect(await b.bindings('1001', now)).toEqual([{ contact: 'sip:1001@192.0.2.7:5062', expiresAt: now + 60_000, source: '192.0.2.7:5062' }]);
  });

  it('the keys expire in Redis with the last binding (nothing left behind for a phone gone for good)', async () => {
    const s = new RedisRegistrations(redis.client, 'reg-ttl');
    const now = Date.now();
    await s.bind('1001', { contact: 'sip:a@192.0.2.7', expiresAt: now + 2_000, source: '' }, now);
    await s.bind('1001', { contact: 'sip:b@192.0.2.7', expiresAt: now + 9_000, source: '' }, now);
    const ttls = await Promise.all(['{reg-ttl}:reg:1001', '{reg-ttl}:regd:1001'].map((k) => redis.client.pttl(k)));
    for (const ttl of ttls) {
      expect(ttl).toBeGreaterThan(2_000);
      expect(ttl).toBeLessThanOrEqual(9_000);
    }
  });
});
