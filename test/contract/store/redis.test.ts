/**
 * The shared store contract on a real redis-server: each store gets its own deployment prefix
 * on one shared connection, so tests never see each other's keys.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe } from 'vitest';
import { connectRedis, RedisAcdStore } from '../../../src/adapters/store/redis/index.js';
import { requireRedisServer, startRedisServer, type RedisServer } from '../../support/redis-server.js';
import { describeStoreContract } from './store-contract.js';

const haveRedis = requireRedisServer();

describe.skipIf(!haveRedis)('redis store', () => {
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

  describeStoreContract('redis', () => new RedisAcdStore(client, { deployment: `contract-${++n}` }));
});
