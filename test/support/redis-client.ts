/** One throw-away redis-server and one connection to it for the calling `describe`: started before its tests, stopped after. */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { connectRedis } from '../../src/adapters/store/redis/index.js';
import { startRedisServer, type RedisServer } from './redis-server.js';

export function useRedisClient(): { readonly client: Redis } {
  let server: RedisServer | undefined;
  let client: Redis | undefined;
  beforeAll(async () => {
    server = await startRedisServer();
    client = await connectRedis(server.url);
  });
  afterAll(async () => {
    client?.disconnect();
    await server?.stop();
  });
  return {
    get client(): Redis {
      if (client === undefined) throw new Error('useRedisClient: no connection outside the describe\'s tests');
      return client;
    },
  };
}
