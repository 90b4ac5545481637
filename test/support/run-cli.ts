import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/hotline.js', import.meta.url));

export interface CliRun { status: number | null; stdout: string; stderr: string }

/**
 * Spawns the real `hotline` binary (bin/hotline.js → dist/), as an engineer would run it.
 * `killAfterMs` only stops a hung child (status null); it is no speed check.
 */
export function runCli(args: string[], env: Record<string, string> = {}, killAfterMs = 15_000): CliRun {
  if (!existsSync(new URL('../../dist/cli.js', import.meta.url))) {
    throw new Error('dist/ is missing: run `npm test` (it builds first) or `npm run build`');
  }
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: repoRoot, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env }, timeout: killAfterMs,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
