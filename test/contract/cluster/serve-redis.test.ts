/**
 * `hotline serve` with REDIS_URL, as an operator starts it: the real binary (bin/hotline.js →
 * dist/), two of them on one redis-server. Health shows the Redis state connected with the
 * node's id, then degraded while Redis is away; each node registers its heartbeat; SIGTERM
 * stops it cleanly and it leaves the cluster.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, probeRedis, requireRedisServer, startRedisServer, type RedisServer } from '../../support/redis-server.js';
import { repoRoot } from '../../support/run-cli.js';
import { until } from './in-process.js';

const bin = fileURLToPath(new URL('../../../bin/hotline.js', import.meta.url));

interface Served {
  readonly child: ChildProcess;
  readonly base: string;
  stop(): Promise<number | null>;
}

async function serve(redisUrl: string): Promise<Served> {
  const port = await freePort();
  const child = spawn(process.execPath, [bin, 'serve'], {
    cwd: repoRoot, detached: true, stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '', REDIS_URL: redisUrl, HTTP_HOST: '127.0.0.1', HTTP_PORT: String(port),
      OUTBOUND_HOST: '127.0.0.1', OUTBOUND_PORT: String(await freePort()), LOG_LEVEL: 'warn',
      // each node its own embedded records file, never the repository's data/
      RECORDS_FILE: join(mkdtempSync(join(tmpdir(), 'hotline-records-')), 'records.db'),
    },
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child, base: `http://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
      const t = setTimeout(() => { if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL'); }, 10_000);
      const code = await exited;
      clearTimeout(t);
      return code;
    },
  };
}

interface Health { status: string; components: Record<string, { state: string; detail?: string }> }

async function health(base: string): Promise<Health | null> {
  try {
    return await (await fetch(`${base}/health`)).json() as Health;
  } catch {
    return null;
  }
}

describe.skipIf(!requireRedisServer() || !existsSync(new URL('../../../dist/cli.js', import.meta.url)))('hotline serve with REDIS_URL', () => {
  let redis: RedisServer;
  const started: Served[] = [];

  beforeAll(async () => { redis = await startRedisServer(); });
  afterAll(async () => {
    for (const s of started) await s.stop();
    await redis.stop();
  });

  it('starts on Redis, reports it in /health, survives a Redis restart, leaves on SIGTERM', async () => {
    const a = await serve(redis.url);
    const b = await serve(redis.url);
    started.push(a, b);
    await until('node A up', async () => (await health(a.base)) !== null, 20_000);
    await until('node B up', async () => (await health(b.base)) !== null, 20_000);
    const ha = await health(a.base);
    expect(ha).toMatchObject({ status: 'ok', components: { state: { state: 'ok' } } });
    expect(ha?.components.state?.detail).toMatch(/^redis connected \(node .+\)$/);

    const probe = probeRedis(redis.url);
    try {
      await until('two heartbeats', async () => (await probe.hlen('{hotline}:beats')) === 2, 5_000);
      expect(await probe.zcard('{hotline}:agents')).toBeGreaterThan(0);

      await redis.stop();
      await until('degraded', async () => (await health(a.base))?.components.state?.state === 'degraded', 5_000);
      await redis.restart();
      await until('connected again', async () => (await health(a.base))?.components.state?.state === 'ok', 10_000);
      // Resynchronised by itself: the empty Redis has the agents' profiles and both heartbeats again.
      await until('resynchronised', async () => (await probe.zcard('{hotline}:agents').catch(() => 0)) > 0
        && (await probe.hlen('{hotline}:beats').catch(() => 0)) === 2, 10_000);

      expect(await a.stop()).toBe(0);
      await until('A left', async () => (await probe.hlen('{hotline}:beats')) === 1, 5_000);
    } finally {
      probe.disconnect();
    }
  }, 60_000);
});
