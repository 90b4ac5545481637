/**
 * A real, throw-away PostgreSQL for contract tests and benchmarks: initdb + postgres in a temp
 * dir, listening on a free 127.0.0.1 port. PostgreSQL refuses to run as root, so as root both
 * run as the `postgres` user (runuser; the temp dir is chowned to it). The binaries are looked
 * for in /usr/lib/postgresql/<version>/bin (Debian keeps them off the PATH), then on the PATH.
 *
 * Tests get one server per run from the global setup (inject('postgresUrl')) and a database
 * of their own from createDatabase. Without PostgreSQL, callers skip with POSTGRES_SKIP_MESSAGE.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './redis-server.js';

export const POSTGRES_SKIP_MESSAGE = 'skipped: PostgreSQL not installed (apt-get install postgresql)';

export interface PostgresServer {
  /** the superuser's URL to the `postgres` database */
  readonly url: string;
  readonly port: number;
  /** Fast shutdown, wait for exit, remove the data dir. Idempotent. */
  stop(): Promise<void>;
}

export interface PostgresOptions {
  /**
   * false (tests): fsync and synchronous commit off — fast, and a crash of the throwaway server
   * does not matter. true (benchmarks): PostgreSQL's defaults, so numbers mean something.
   */
  readonly durable?: boolean;
}

let binDir: string | null | undefined;

/** The directory holding initdb and postgres, or null when PostgreSQL is not installed. */
export function postgresBinDir(): string | null {
  if (binDir !== undefined) return binDir;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  const candidates = versions.map((v) => join(root, v, 'bin'));
  const onPath = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim();
  if (onPath !== '') candidates.push(join(onPath, '..'));
  binDir = candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres'))) ?? null;
  return binDir;
}

export function postgresInstalled(): boolean {
  return postgresBinDir() !== null;
}

/** Logs the one skip line when PostgreSQL is missing; returns whether it is installed. */
export function requirePostgres(): boolean {
  const ok = postgresInstalled();
  if (!ok) console.log(POSTGRES_SKIP_MESSAGE);
  return ok;
}

const asRoot = process.getuid?.() === 0;

/** argv that runs `bin/<tool>` as the postgres user when we are root. */
function command(bin: string, tool: string, args: string[]): [string, string[]] {
  const exe = join(bin, tool);
  return asRoot ? ['runuser', ['-u', 'postgres', '--', exe, ...args]] : [exe, args];
}

function chownToPostgres(dir: string): void {
  if (!asRoot) return;
  const id = (flag: string): number => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  chownSync(dir, id('-u'), id('-g'));
}

const live = new Set<number>();
let exitHookInstalled = false;

/** A test process that dies early must not leave servers behind: immediate shutdown. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const pid of live) {
      try {
        process.kill(pid, 'SIGQUIT');
      } catch {
        // already gone
      }
    }
  });
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function startPostgresServer(options: PostgresOptions = {}): Promise<PostgresServer> {
  const bin = postgresBinDir();
  if (bin === null) throw new Error(POSTGRES_SKIP_MESSAGE);
  installExitHook();
  const dir = mkdtempSync(join(tmpdir(), 'hotline-pg-'));
  chownToPostgres(dir);
  const data = join(dir, 'data');
  const [initExe, initArgs] = command(bin, 'initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
  const init = spawnSync(initExe, initArgs, { encoding: 'utf8' });
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${init.stderr}`);
  }
  const fast = options.durable === true ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];
  // The free port can be taken between our probe and postgres binding it: try a few.
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const [exe, args] = command(bin, 'postgres', [
      '-D', data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${dir}`,
      '-c', 'max_connections=200', ...fast,
    ]);
    const child = spawn(exe, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    child.stderr?.on('data', (d: Buffer) => { log = (log + d.toString()).slice(-4_000); });
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    if (await waitReady(child, url)) {
      const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      live.add(pid);
      let stopped = false;
      return {
        url,
        port,
        async stop() {
          if (stopped) return;
          stopped = true;
          await stopServer(child, pid);
          live.delete(pid);
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    child.kill('SIGKILL');
    if (attempt >= 3) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`postgres did not start: ${log}`);
    }
  }
}

async function waitReady(child: ChildProcess, url: string): Promise<boolean> {
  let exited = false;
  child.once('exit', () => { exited = true; });
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline && !exited) {
    if (await canConnect(url)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

/** SIGINT to the postmaster (fast shutdown), then wait for its runuser parent to go. */
function stopServer(child: ChildProcess, pid: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => {
      try {
        process.kill(pid, 'SIGQUIT');
      } catch {
        // already gone
      }
      child.kill('SIGKILL');
    }, 10_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    try {
      process.kill(pid, 'SIGINT');
    } catch {
      child.kill('SIGKILL');
    }
  });
}

let dbCounter = 0;

/** A new empty database on the server; returns its URL. */
export async function createDatabase(serverUrl: string, prefix = 'test'): Promise<string> {
  const name = `${prefix}_${process.pid}_${++dbCounter}_${Math.random().toString(36).slice(2, 8)}`.toLowerCase();
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`create database "${name}"`);
  } finally {
    await client.end();
  }
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

