/**
 * Runs a bench as the router runs in production: plain `node` on compiled JavaScript, not under
 * tsx. The TypeScript loader costs the process ~50 MB of RSS of its own (an empty script: 91 MB
 * under tsx, 39 MB without), which would be counted against a memory target.
 *
 * The bench file is bundled with esbuild (its own code and src/; npm packages stay imports) into
 * node_modules/.cache/hotline-bench/, then run by `node --expose-gc` with BENCH_COMPILED=1 and
 * BENCH_ROOT set. esbuild is tsx's own compiler (a dependency of tsx, which `npm run bench`
 * needs anyway); if it cannot be loaded the caller runs under tsx and says so.
 */
import { mkdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { build as esbuildBuild } from 'esbuild';
import { runNode } from '../../src/cli/run-node.js';

export const COMPILED = process.env.BENCH_COMPILED === '1';

/** The repository root, also from the bundle (which lives elsewhere). */
export function benchRoot(): string {
  return process.env.BENCH_ROOT ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

/**
 * Bundles `entryUrl` and runs it; resolves with its exit code, or with a reason string when it
 * cannot be compiled here (then the caller goes on under tsx).
 */
export async function runCompiled(entryUrl: string, nodeFlags: readonly string[] = []): Promise<number | string> {
  const root = benchRoot();
  const entry = fileURLToPath(entryUrl);
  const out = join(root, 'node_modules', '.cache', 'hotline-bench', basename(entry).replace(/\.ts$/, '.mjs'));
  let build: typeof esbuildBuild;
  try {
    ({ build } = await import('esbuild'));
  } catch (err) {
    return `esbuild not loadable (${err instanceof Error ? err.message : String(err)})`;
  }
  await mkdir(dirname(out), { recursive: true });
  await build({
    entryPoints: [entry], outfile: out, bundle: true, platform: 'node', format: 'esm', target: 'node20',
    packages: 'external', logLevel: 'warning',
  });
  // Interrupted: the bench (and through it its own children) goes down too.
  return runNode(['--expose-gc', ...nodeFlags, out], { cwd: root, env: { ...process.env, BENCH_COMPILED: '1', BENCH_ROOT: root } });
}
