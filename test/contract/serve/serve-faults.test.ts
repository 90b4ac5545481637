/**
 * `hotline serve` when things go wrong, as the real process a supervisor runs:
 *  - the HTTP port taken → a clear fatal log line, exit 1, and the process ends by itself:
 *    everything it had opened (outbound ESL server, Redis connections, timers, cron) is closed —
 *    the "exiting anyway" line (the backstop that fires only when a handle is left) never comes;
 *  - Redis refused at start → the cause in the log (ECONNREFUSED), exit 1, not retried forever;
 *  - Redis lost while serving → one log line per cause per minute, not one per reconnect;
 *  - an unhandled rejection / uncaught exception → a fatal log line with the error, exit 70.
 */
import { existsSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { holdPort, type HeldPort } from '../../support/hold-port.js';
import { freePort, requireRedisServer, startRedisServer, type RedisServer } from '../../support/redis-server.js';
import { faultPreload, startServe, type ServeProcess } from './serve-process.js';

const built = existsSync(new URL('../../../dist/cli.js', import.meta.url));
const FORCED = 'handles still open after stop; exiting anyway';


const running: ServeProcess[] = [];
function serve(env: Record<string, string>, nodeArgs: string[] = []): ServeProcess {
  const p = startServe(env, nodeArgs);
  running.push(p);
  return p;
}

/**
 * Ended by itself: the backstop (which logs FORCED before it exits a process that something
 * still holds open 3 s (src/main.ts EXIT_GRACE_MS) after stopping) never fired, and the process is gone.
 */
async function expectEndedByItself(p: ServeProcess): Promise<number | null> {
  const ended = await Promise.race([p.ended, new Promise<null>((r) => setTimeout(() => r(null), 15_000))]);
  expect(ended, 'the process did not end within 15 s').not.toBeNull();
  expect(p.lines.filter((l) => l.msg === FORCED)).toEqual([]);
  return ended?.code ?? null;
}

describe.skipIf(!built)('hotline serve faults', () => {
  let held: HeldPort;
  let redis: RedisServer | undefined;
  const haveRedis = requireRedisServer();

  beforeAll(async () => {
    held = await holdPort();
    if (haveRedis) redis = await startRedisServer();
  });
  afterEach(() => {
    for (const p of running.splice(0)) p.kill();
  });
  afterAll(async () => {
    held.server.close();
    await redis?.stop();
  });

  it('HTTP port taken: a fatal line naming EADDRINUSE, exit 1, nothing left open (in-memory state)', async () => {
    const p = serve({ HTTP_PORT: String(held.port), OUTBOUND_PORT: String(await freePort()) });
    const fatal = await p.waitFor((l) => l.msg === 'HTTP listen failed; not starting', 15_000);
    expect(fatal).toMatchObject({ level: 60, port: held.port, err: { code: 'EADDRINUSE' } });
    expect(await expectEndedByItself(p)).toBe(1);
    expect(p.stderr()).toContain(`cannot listen on 127.0.0.1:${held.port}`);
  }, 30_000);

  it.skipIf(!haveRedis)('HTTP port taken with REDIS_URL: the Redis connections are closed too and the process ends by itself', async () => {
    const p = serve({ HTTP_PORT: String(held.port), OUTBOUND_PORT: String(await freePort()), REDIS_URL: redis!.url });
    await p.waitFor((l) => l.msg === 'HTTP listen failed; not starting', 15_000);
    expect(await expectEndedByItself(p)).toBe(1);
  }, 30_000);

  it('Redis refused at start: the cause is logged, exit 1, no retry loop', async () => {
    const p = serve({ HTTP_PORT: String(await freePort()), OUTBOUND_PORT: String(await freePort()), REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
    const fatal = await p.waitFor((l) => l.msg === 'start failed; not starting', 15_000);
    expect(fatal.err?.message).toContain('ECONNREFUSED');
    expect(await expectEndedByItself(p)).toBe(1);
    expect(p.stderr()).toContain('ECONNREFUSED');
  }, 30_000);

  it.skipIf(!haveRedis)('Redis lost while serving: logged with its cause once per cause, not at every reconnect', async () => {
    const port = await freePort();
    const p = serve({ HTTP_PORT: String(port), OUTBOUND_PORT: String(await freePort()), REDIS_URL: redis!.url });
    await p.waitFor((l) => l.msg === 'router listening', 15_000);
    await redis!.stop();
    try {
      const first = await p.waitFor((l) => l.msg === 'redis connection error' && l.err?.code === 'ECONNREFUSED', 10_000);
      // ioredis reconnects within a second (two connections: store and bus): give it several tries.
      await new Promise((r) => setTimeout(r, 3_000));
      const errors = p.lines.filter((l) => l.msg === 'redis connection error');
      const perCause = new Map<string, number>();
      for (const l of errors) perCause.set(`${l.err?.type}:${l.err?.code ?? l.err?.message}`, (perCause.get(`${l.err?.type}:${l.err?.code ?? l.err?.message}`) ?? 0) + 1);
      expect([...perCause.values()].every((n) => n === 1), JSON.stringify([...perCause])).toBe(true);
      expect(first.level).toBe(40);
      expect(first.err?.message).toContain('ECONNREFUSED');
    } finally {
      await redis!.restart();
    }
  }, 40_000);

  it.each(['rejection', 'exception'] as const)('an unhandled %s: logged with the error, exit 70', async (fault) => {
    const p = serve({ HTTP_PORT: String(await freePort()), OUTBOUND_PORT: String(await freePort()), HOTLINE_TEST_FAULT: fault },
      ['--import', faultPreload]);
    await p.waitFor((l) => l.msg === 'router listening', 15_000);
    p.child.kill('SIGUSR2');
    const fatal = await p.waitFor((l) => l.msg === 'unhandled fault; exiting so that a supervisor restarts the router', 10_000);
    expect(fatal).toMatchObject({
      level: 60, fault: fault === 'rejection' ? 'unhandledRejection' : 'uncaughtException', err: { message: `probe ${fault}` },
    });
    expect(fatal.err?.stack).toContain(`probe ${fault}`);
    const ended = await p.ended;
    expect(ended.code).toBe(70);
  }, 30_000);
});
