/**
 * The Dockerfile, checked as far as possible without a Docker engine (none runs here): its stages,
 * that the runtime stage has production dependencies only and runs as a non-root user, its
 * HEALTHCHECK, that SIGTERM reaches node, and that every file it copies exists.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/run-cli.js';

interface Instruction { readonly op: string; readonly args: string }

/** Instructions by stage, continuation lines joined, comments dropped. */
function stages(text: string): { name: string; steps: Instruction[] }[] {
  const joined = text.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  const out: { name: string; steps: Instruction[] }[] = [];
  for (const line of joined) {
    const [op = '', ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (op.toUpperCase() === 'FROM') out.push({ name: /\bAS\s+(\S+)/i.exec(args)?.[1] ?? '', steps: [] });
    out.at(-1)?.steps.push({ op: op.toUpperCase(), args });
  }
  return out;
}

const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
const [build, runtime, ...more] = stages(dockerfile);
const ops = (s: { steps: Instruction[] } | undefined, op: string) => (s?.steps ?? []).filter((i) => i.op === op);

describe('Dockerfile', () => {
  it('has a build stage and a runtime stage, the runtime last', () => {
    expect(more).toEqual([]);
    expect(build?.name).toBe('build');
    expect(runtime?.name).toBe('runtime');
  });

  it('builds with the lockfile and drops dev dependencies before the runtime copies node_modules', () => {
    const runs = ops(build, 'RUN').map((r) => r.args).join('\n');
    expect(runs).toMatch(/npm ci\b/);
    expect(runs).toMatch(/npm run build/);
    expect(runs).toMatch(/npm prune --omit=dev/);
    const fromBuild = ops(runtime, 'COPY').filter((c) => c.args.startsWith('--from=build')).map((c) => c.args.split(/\s+/)[1]);
    expect(fromBuild).toEqual(expect.arrayContaining(['/app/node_modules', '/app/dist']));
    // No compiler and no sources in the runtime stage.
    expect(ops(runtime, 'RUN').map((r) => r.args).join('\n')).not.toMatch(/\bg\+\+|\bmake\b|npm (ci|install)/);
    expect(ops(runtime, 'COPY').map((c) => c.args)).not.toContainEqual(expect.stringMatching(/^src\b/));
  });

  it('runs as a non-root user, with tini as PID 1 so SIGTERM reaches node (which drains)', () => {
    const users = ops(runtime, 'USER');
    expect(users.at(-1)?.args).toBe('node');
    const entry = ops(runtime, 'ENTRYPOINT').at(-1)?.args ?? '';
    expect(JSON.parse(entry)).toEqual(['/usr/bin/tini', '--', 'node', 'bin/hotline.js']);
    expect(JSON.parse(ops(runtime, 'CMD').at(-1)?.args ?? '[]')).toEqual(['serve']);
    expect(ops(runtime, 'STOPSIGNAL').at(-1)?.args).toBe('SIGTERM');
  });

  it('checks /health, on the port the router listens on', () => {
    const hc = ops(runtime, 'HEALTHCHECK').at(-1)?.args ?? '';
    expect(hc).toMatch(/--interval=\d+s/);
    expect(hc).toContain('/health');
    expect(hc).toContain('process.env.HTTP_PORT');
    // The check is a node one-liner; it must at least parse.
    const cmd = JSON.parse(hc.slice(hc.indexOf('CMD') + 3).trim()) as string[];
    expect(cmd.slice(0, 2)).toEqual(['node', '-e']);
    expect(() => new Script(cmd[2] ?? '')).not.toThrow();
  });

  it('copies only files that exist, and .dockerignore keeps secrets and local state out', () => {
    for (const s of [build, runtime]) {
      for (const c of ops(s, 'COPY').filter((x) => !x.args.startsWith('--from'))) {
        const parts = c.args.split(/\s+/);
        for (const src of parts.slice(0, -1)) expect(existsSync(join(repoRoot, src)), src).toBe(true);
      }
    }
    const ignore = readFileSync(join(repoRoot, '.dockerignore'), 'utf8').split('\n');
    for (const p of ['.env', 'node_modules', 'data', 'secrets', '.git']) expect(ignore).toContain(p);
  });
});
