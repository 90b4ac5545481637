/**
 * "50/50 under a CPU hog": the 2-node, 2,000-caller run (test/contract/cluster/processes.test.ts)
 * with node A starved but alive — every thread of it pinned to one core beside busy loops at the
 * same priority, and stopped in bursts shorter than the heartbeat allows — repeated, on a
 * throw-away redis-server, with the test settings (beat 200 ms, TTL 800 ms). Each run is judged
 * by test/support/starved-cluster.ts (no live node reaped, no double booking, the store's order
 * kept, everyone served once); the pass count is printed, and the exit code is 1 if any run failed.
 * Run: node --import tsx bench/cpu-starved.bench.ts [runs] [hogs]   (default 10 runs, 2 hogs)
 */
import { requireRedisServer, startRedisServer } from '../test/support/redis-server.js';
import { canStarve, runStarvedCluster } from '../test/support/starved-cluster.js';

const RUNS = Number(process.argv[2] ?? 10);
const HOGS = Number(process.argv[3] ?? 2);

async function main(): Promise<void> {
  if (!requireRedisServer() || !canStarve(HOGS)) {
    console.log('cpu-starved: skipped (needs redis-server, chrt and taskset)');
    return;
  }
  const redis = await startRedisServer();
  let passed = 0;
  try {
    for (let i = 1; i <= RUNS; i++) {
      const run = await runStarvedCluster({ redisUrl: redis.url, beatMs: 200, ttlMs: 800, stopMs: 250, runMs: 250, hogs: HOGS });
      if (run.violations.length === 0) passed += 1;
      console.log(`run ${i}/${RUNS} ${run.violations.length === 0 ? 'ok' : 'FAILED'}: ${run.summary}`);
      for (const v of run.violations) console.log(`  ${v}`);
      await redis.restart();
    }
  } finally {
    await redis.stop();
  }
  console.log(`cpu-starved: ${passed}/${RUNS} runs passed`);
  if (passed !== RUNS) process.exitCode = 1;
}

await main();
