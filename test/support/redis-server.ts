/**
 * A real, throw-away redis-server for contract tests and benchmarks: a free loopback port,
 * no persistence, its own temp dir. `stop()` takes it down (the port stays reserved for us by
 * convention, not by the OS) and `restart()` brings it back on the same port, empty — what
 * the fault tests need to see a client ride through a server restart.
 *
 * Without redis-server on the PATH, callers skip:  describe.skipIf(!redisServerInstalled()) …
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

export const REDIS_SKIP_MESSAGE = 'skipped: redis-server not installed (apt-get install redis-server)';

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  /** the running server's process id (fault tests stop it with SIGSTOP); undefined while stopped */
  readonly pid: number | undefined;
  /** Stop the server (SIGTERM, wait for exit). Idempotent. */
  stop(): Promise<void>;
  /** Start again on the same port (stopping first if running); the data set starts empty. */
  restart(): Promise<void>;
}

let installed: boolean | undefined;

export function redisServerInstalled(): boolean {
  installed ??= spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
  return installed;
}

/** Logs the one skip line when redis-server is missing; returns whether it is installed. */
export function requireRedisServer(): boolean {
  const ok = redisServerInstalled();
  if (!ok) console.log(REDIS_SKIP_MESSAGE);
  return ok;
}

/** Ask the OS for a free port: bind 0, read it, close. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr !== null ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** One PING over a raw socket; true on +PONG. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = createConnection({ port, host: '127.0.0.1' });
    const done = (ok: boolean): void => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(500, () => done(false));
    sock.once('error', () => done(false));
    sock.once('connect', () => sock.write('PING\r\n'));
    sock.once('data', (d) => done(d.toString().startsWith('+PONG')));
  });
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** A test process that dies early must not leave servers behind. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

async function spawnOn(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn('redis-server', [
    '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir,
    '--daemonize', 'no', '--loglevel', 'warning',
    // DEBUG SLEEP lets fault tests simulate a hung server (loopback clients only).
    '--enable-debug-command', 'local',
  ], { stdio: 'ignore' });
  live.add(child);
  child.once('exit', () => live.delete(child));
  let exited = false;
  child.once('exit', () => { exited = true; });
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`redis-server exited while starting on port ${port}`);
    if (await ping(port)) return child;
    await new Promise((r) => setTimeout(r, 25));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not answer PING on port ${port} within 10 s`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function startRedisServer(): Promise<RedisServer> {
  installExitHook();
  const dir = mkdtempSync(join(tmpdir(), 'hotline-redis-'));
  // The free port can be taken between our probe and redis binding it: try a few.
  let port = 0;
  let child: ChildProcess | undefined;
  for (let attempt = 0; child === undefined; attempt++) {
    port = await freePort();
    try {
      child = await spawnOn(port, dir);
    } catch (err) {
      if (attempt >= 3) {
        rmSync(dir, { recursive: true, force: true });
        throw err;
      }
    }
  }
  let current: ChildProcess | null = child;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    get pid() {
      return current?.pid;
    },
    async stop() {
      const c = current;
      current = null;
      if (c !== null) await stopChild(c);
      rmSync(dir, { recursive: true, force: true });
    },
    async restart() {
      if (current !== null) await stopChild(current);
      current = null;
      mkdirSync(dir, { recursive: true });
      current = await spawnOn(port, dir);
    },
  };
}

/**
 * A test's own client for looking into Redis. Its connection errors (the server restarted or
 * stopped by the test itself) are expected: they are kept for the test, not printed by ioredis
 * as unhandled.
 */
export function probeRedis(url: string): Redis & { readonly errors: Error[] } {
  const errors: Error[] = [];
  const client = new Redis(url);
  client.on('error', (err: Error) => { errors.push(err); });
  return Object.assign(client, { errors });
}
