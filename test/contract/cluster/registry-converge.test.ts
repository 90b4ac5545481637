/**
 * Two `hotline serve` processes (from source, through tsx) on one redis-server, each with its own
 * registry file, as two hosts have. A reload on one node is announced on the cluster bus; the
 * other re-reads its own file: when that file has the new version too it applies it (the nodes
 * converge without a second command), when it is still the old one the node keeps it and says so
 * in /health, /api/registry and hotline_registry_in_sync, until its file catches up.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, requireRedisServer, startRedisServer, type RedisServer } from '../../support/redis-server.js';
import { repoRoot } from '../../support/run-cli.js';
import { until } from './in-process.js';

const minimal = readFileSync('test/fixtures/registry/minimal.yaml', 'utf8');
const sha = (t: string) => createHash('sha256').update(t).digest('hex');

interface Node {
  readonly base: string;
  readonly file: string;
  readonly child: ChildProcess;
  log(): string;
}

describe.skipIf(!requireRedisServer())('registry versions across router nodes (serve processes on Redis)', () => {
  let redis: RedisServer;
  let work: string;
  const nodes: Node[] = [];
  const token = randomBytes(24).toString('hex');
  const auth = { authorization: `Bearer ${token}` };

  async function serve(name: string): Promise<Node> {
    const dir = join(work, name);
    mkdirSync(dir);
    const file = join(dir, 'registry.yaml');
    writeFileSync(file, minimal);
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/hotline-from-source.ts', 'serve'], {
      cwd: repoRoot, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '', REDIS_URL: redis.url, HOTLINE_REGISTRY: file, HTTP_HOST: '127.0.0.1', HTTP_PORT: String(port),
        OUTBOUND_HOST: '127.0.0.1', OUTBOUND_PORT: String(await freePort()), HOTLINE_TOKENS_FILE: join(work, 'tokens.json'),
        LOG_LEVEL: 'warn', DRAIN_SECONDS: '1', REPORTS_DIR: join(dir, 'reports'), RECORDS_FILE: join(dir, 'records.db'),
      },
    });
    let out = '';
    for (const stream of [child.stdout, child.stderr]) stream?.on('data', (d: Buffer) => { out = (out + d.toString('utf8')).slice(-20_000); });
    const node: Node = { base: `http://127.0.0.1:${port}`, file, child, log: () => out };
    nodes.push(node);
    await until(`${name} up`, async () => {
      if (child.exitCode !== null) throw new Error(`${name} exited: ${out}`);
      return fetch(`${node.base}/health`).then((r) => r.ok, () => false);
    }, 60_000);
    return node;
  }

  const registryOf = async (n: Node) => (await fetch(`${n.base}/api/registry`, { headers: auth })).json() as Promise<{ sha256: string; inSync: boolean; announced?: { sha256: string; from: string } }>;
  const health = async (n: Node) => ((await (await fetch(`${n.base}/health`)).json()) as { components: Record<string, { state: string; detail?: string }> }).components['registry'];
  const metric = async (n: Node) => /^hotline_registry_in_sync (\d)$/m.exec(await (await fetch(`${n.base}/metrics`, { headers: auth })).text())?.[1];
  const reload = async (n: Node) => (await fetch(`${n.base}/api/registry/reload`, { method: 'POST', headers: auth })).json() as Promise<{ outcome: string }>;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'registry-converge-'));
    writeFileSync(join(work, 'tokens.json'), JSON.stringify([{ token, name: 'engineer', role: 'admin' }]), { mode: 0o600 });
    redis = await startRedisServer();
  }, 30_000);
  afterAll(async () => {
    for (const n of nodes) {
      if (n.child.exitCode !== null || n.child.signalCode !== null || n.child.pid === undefined) continue;
      const exited = new Promise<void>((resolve) => n.child.once('exit', () => resolve()));
      process.kill(-n.child.pid, 'SIGTERM');
      const t = setTimeout(() => { if (n.child.pid !== undefined) process.kill(-n.child.pid, 'SIGKILL'); }, 10_000);
      await exited;
      clearTimeout(t);
    }
    await redis.stop();
    rmSync(work, { recursive: true, force: true });
  }, 30_000);

  it('a node whose file is behind keeps its version and reports it; once its file has the new one, the next announcement brings it level', async () => {
    const [a, b] = await Promise.all([serve('a'), serve('b')]);
    const v2 = minimal.replace('region: 测试市', 'region: 测试市二');
    // Only A's host got the new file.
    writeFileSync(a.file, v2);
    expect(await reload(a)).toMatchObject({ outcome: 'applied' });
    await until('B told it is behind', async () => !(await registryOf(b)).inSync, 10_000);
    expect(await registryOf(b)).toMatchObject({ sha256: sha(minimal), inSync: false, announced: { sha256: sha(v2) } });
    expect(await health(b)).toMatchObject({ state: 'degraded' });
    expect(await metric(b)).toBe('0');
    expect(await registryOf(a)).toMatchObject({ sha256: sha(v2), inSync: true });
    expect(await health(a)).toMatchObject({ state: 'ok' });

    // B's file arrives; its own SIGHUP applies it, and it is level again.
    writeFileSync(b.file, v2);
    process.kill(b.child.pid ?? -1, 'SIGHUP');
    await until('B level after SIGHUP', async () => (await registryOf(b)).inSync, 10_000);
    expect(await registryOf(b)).toMatchObject({ sha256: sha(v2) });
    expect(await metric(b)).toBe('1');

    // Both files changed, one reload: the other node follows by itself.
    const v3 = v2.replace('region: 测试市二', 'region: 测试市三');
    writeFileSync(a.file, v3);
    writeFileSync(b.file, v3);
    expect(await reload(b)).toMatchObject({ outcome: 'applied' });
    await until('A follows B', async () => (await registryOf(a)).sha256 === sha(v3), 10_000);
    expect(await registryOf(a)).toMatchObject({ inSync: true });
    expect(await health(a)).toMatchObject({ state: 'ok', detail: expect.stringContaining('测试市三') as string });
  }, 120_000);
});
