/**
 * A start that fails half-way closes what it had opened: with REDIS_URL, buildRouter connects to
 * Redis, registers the agents and starts the ACD and the metrics before the outbound ESL server
 * binds its port; that port taken, buildRouter rejects — and the Redis connections are gone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRegistryFile } from '../../../src/config/load.js';
import { buildRouter } from '../../../src/compose/router.js';
import { createLogger } from '../../../src/lib/logger.js';
import { settingsFromEnv } from '../../../src/settings/settings.js';
import { holdPort, type HeldPort } from '../../support/hold-port.js';
import { freePort, probeRedis, requireRedisServer, startRedisServer, type RedisServer } from '../../support/redis-server.js';
import { until } from '../cluster/in-process.js';


describe.skipIf(!requireRedisServer())('buildRouter failing half-way', () => {
  let redis: RedisServer;
  let held: HeldPort;
  beforeAll(async () => {
    redis = await startRedisServer();
    held = await holdPort();
  });
  afterAll(async () => {
    held.server.close();
    await redis.stop();
  });

  it('the outbound ESL port taken after Redis was opened: rejects with EADDRINUSE, Redis connections closed', async () => {
    const loaded = await loadRegistryFile('config/hotline.example.yaml');
    if (!loaded.ok) throw new Error('example registry invalid');
    const settings = settingsFromEnv({
      REDIS_URL: redis.url, HTTP_PORT: String(await freePort()), OUTBOUND_HOST: '127.0.0.1', OUTBOUND_PORT: String(held.port),
      REPORTS_DIR: 'test-artifacts/halfway-reports',
    });
    const probe = probeRedis(redis.url);
    try {
      await expect(buildRouter(settings, {}, loaded.registry, createLogger({ level: 'silent' }), undefined))
        .rejects.toMatchObject({ code: 'EADDRINUSE' });
      // Redis had been opened and used before the failure: the agents are registered there.
      expect(await probe.zcard('{hotline}:agents')).toBeGreaterThan(0);
      // Only the probe is left connected.
      await until('router connections closed', async () => (await probe.client('LIST') as string).trim().split('\n').length === 1, 3_000);
    } finally {
      probe.disconnect();
    }
  });
});
