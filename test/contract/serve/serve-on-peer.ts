/**
 * `hotline serve` from source (through tsx) in its own process group, its inbound ESL on the
 * FreeSWITCH test peer and everything it writes under `work` (registry.yaml and tokens.json are
 * the test's to write first). Resolves once /health answers and the router is on the peer.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { FsPeer } from '../../support/fs-peer/index.js';
import { freePort } from '../../support/redis-server.js';
import { repoRoot } from '../../support/run-cli.js';
import { until } from '../cluster/in-process.js';

export interface PeerServe {
  readonly child: ChildProcess;
  readonly base: string;
  readonly outboundPort: number;
  /** The last 200 kB of its stdout and stderr. */
  log(): string;
  /** SIGCONT (it may be stopped), SIGTERM to the group, SIGKILL after 10 s. */
  stop(): Promise<void>;
}

/** `env`: added to the process's environment; a function when it needs the outbound port. */
export async function serveOnPeer(
  work: string, peer: FsPeer, password: string,
  env: Record<string, string> | ((outboundPort: number) => Record<string, string>) = {},
): Promise<PeerServe> {
  const port = await freePort();
  const outboundPort = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/hotline-from-source.ts', 'serve'], {
    cwd: repoRoot, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '', HOTLINE_REGISTRY: join(work, 'registry.yaml'), HTTP_HOST: '127.0.0.1', HTTP_PORT: String(port),
      OUTBOUND_HOST: '127.0.0.1', OUTBOUND_PORT: String(outboundPort), ESL_HOST: '127.0.0.1', ESL_PORT: String(peer.port),
      ESL_PASSWORD: password, HOTLINE_TOKENS_FILE: join(work, 'tokens.json'), LOG_LEVEL: 'info', DRAIN_SECONDS: '1',
      REPORTS_DIR: join(work, 'reports'), RECORDS_FILE: join(work, 'records.db'), RECORDS_JOURNAL: join(work, 'journal.jsonl'),
      ...(typeof env === 'function' ? env(outboundPort) : env),
    },
  });
  let log = '';
  for (const stream of [child.stdout, child.stderr]) stream?.on('data', (d: Buffer) => { log = (log + d.toString('utf8')).slice(-200_000); });
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    process.kill(-child.pid, 'SIGCONT');
    process.kill(-child.pid, 'SIGTERM');
    const t = setTimeout(() => { if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL'); }, 10_000);
    await exited;
    clearTimeout(t);
  };
  try {
    await until('router up', async () => {
      if (child.exitCode !== null) throw new Error('serve exited');
      return fetch(`${base}/health`).then((r) => r.ok, () => false);
    }, 60_000).catch((err: unknown) => { throw new Error(`${String(err)}\n${log.slice(-5_000)}`); });
    await until('router on the peer', () => peer.sessions.size >= 1, 10_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { child, base, outboundPort, log: () => log, stop };
}
