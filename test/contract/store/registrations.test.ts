/** Agents' registrations (the SIP edge) on memory and on a real redis-server. */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryRegistrations } from '../../../src/adapters/store/memory/index.js';
import { connectRedis, RedisRegistrations } from '../../../src/adapters/store/redis/index.js';
import { requireRedisServer, startRedisServer, type RedisServer } from '../../support/redis-server.js';
import { describeRegistrationsContract } from './registrations-contract.js';

describeRegistrationsContract('memory', () => new MemoryRegistrations());

const haveRedis = requireRedisServer();

describe.skipIf(!haveRedis)('redis registrations', () => {
  let server: RedisServer;
  let client: Redis;
  let n = 0;

  beforeAll(async () => {
    server = await startRedisServer();
    client = await connectRedis(server.url);
  });
  afterAll(async () => {
    client.disconnect();
    await server.stop();
  });

  describeRegistrationsContract('redis', () => new RedisRegistrations(client, `reg-${++n}`));

  it('two edges on one Redis see each other\'s registrations (one deployment)', async () => {
    const a = new RedisRegistrations(client, 'shared-edges');
    const b = new RedisRegistrations(client, 'shared-edges');
    const now = Date.now();
    await a.bind('1001', { contact: 'sip:1001@192.0.2.7:5062', expiresAt: now + 60_000, source: '192.0.2.7:5062' }, now);
    expect(await b.bindings('1001', now)).toEqual([{ contact: 'sip:1001@192.0.2.7:5062', expiresAt: now + 60_000, source: '192.0.2.7:5062' }]);
  });

  it('the keys expire in Redis with the last binding (nothing left behind for a phone gone for good)', async () => {
    const s = new RedisRegistrations(client, 'reg-ttl');
    const now = Date.now();
    await s.bind('1001', { contact: 'sip:a@192.0.2.7', expiresAt: now + 2_000, source: '' }, now);
    await s.bind('1001', { contact: 'sip:b@192.0.2.7', expiresAt: now + 9_000, source: '' }, now);
    const ttls = await Promise.all(['{reg-ttl}:reg:1001', '{reg-ttl}:regd:1001'].map((k) => client.pttl(k)));
    for (const ttl of ttls) {
      expect(ttl).toBeGreaterThan(2_000);
      expect(ttl).toBeLessThanOrEqual(9_000);
    }
  });
});
