/**
 * The 2-node, 2,000-caller run of processes.test.ts while node A, alive, is stopped in bursts
 * shorter than the heartbeat allows (test/support/starved-cluster.ts says what must hold and
 * why): no live node reaped, no double booking, the store's order kept. The same run with A also
 * pinned to one core beside busy loops, repeated, is bench/cpu-starved.bench.ts — busy loops
 * would slow the suites running beside this one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireRedisServer, startRedisServer, type RedisServer } from '../../support/redis-server.js';
import { stopAllRouterNodes } from '../../support/router-node.js';
import { canStarve, runStarvedCluster } from '../../support/starved-cluster.js';

const BEAT = 200;
const TTL = 800;
const STOP_MS = 250;
const RUN_MS = 250;

describe.skipIf(!requireRedisServer() || !canStarve(0))('2 nodes on one Redis, one stopped in bursts', () => {
  let redis: RedisServer;

  beforeAll(async () => { redis = await startRedisServer(); });
  afterAll(async () => {
    await stopAllRouterNodes();
    await redis.stop();
  });

  it(`2,000 callers while node A is stopped ${STOP_MS} ms of every ${STOP_MS + RUN_MS} (TTL ${TTL}, beat ${BEAT}): no live node reaped, no double booking, the store's order kept`, async () => {
    const run = await runStarvedCluster({ redisUrl: redis.url, beatMs: BEAT, ttlMs: TTL, stopMs: STOP_MS, runMs: RUN_MS, hogs: 0 });
    console.log(`stopped in bursts: ${run.summary}`);
    expect(run.violations).toEqual([]);
  }, 200_000);
});
