/**
 * Hostile registry files end in one clear error, in bounded time and memory. Each is loaded in a
 * child process whose heap is capped at HEAP_MB: running out of memory would crash it, and its
 * peak RSS is reported.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, writeSync, closeSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/run-cli.js';

const HEAP_MB = 128;
/** Node with tsx alone is ~100 MB RSS; a load may add its text and a bounded parse. */
const RSS_BOUND_MB = 320;
/** Time of the load itself (not the child's start). */
const LOAD_BOUND_MS = 5_000;

interface ChildResult { ok: boolean; output: string; problems: number; ms: number; maxRssMb: number }

function loadInChild(file: string): ChildResult {
  const r = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_MB}`, '--import', 'tsx', 'test/support/load-registry-child.ts', file], {
    cwd: repoRoot, encoding: 'utf8', timeout: 60_000, maxBuffer: 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`child exited ${String(r.status)} ${String(r.signal)}: ${r.stderr.slice(0, 2000)}`);
  return JSON.parse(r.stdout) as ChildResult;
}

const dir = mkdtempSync(join(tmpdir(), 'registry-hostile-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function billionLaughs(): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i += 1) {
    const prev = String.fromCharCode(96 + i);
    const next = String.fromCharCode(97 + i);
    lines.push(`${next}: &${next} [${Array.from({ length: 9 }, () => `*${prev}`).join(',')}]`);
  }
  return lines.join('\n');
}

/** Random bytes drawn from YAML's significant characters, `size` bytes in all, written in pieces. */
function garbageFile(name: string, size: number, seed: number): string {
  const path = join(dir, name);
  const alphabet = Buffer.from('[]{}:,-?|>&*!#\'"% \n\t\r@`abcxyz019\u00ff');
  let state = seed;
  const fd = openSync(path, 'w');
  const chunk = Buffer.allocUnsafe(1024 * 1024);
  for (let written = 0; written < size; written += chunk.length) {
    for (let i = 0; i < chunk.length; i += 1) {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      chunk[i] = alphabet[(state >>> 16) % alphabet.length] ?? 0x20;
    }
    writeSync(fd, chunk, 0, Math.min(chunk.length, size - written));
  }
  closeSync(fd);
  return path;
}

const DEEP = 100_000;
const cases: [string, () => string, RegExp][] = [
  ['billion laughs', () => file('laughs.yaml', billionLaughs()), /aliases expand beyond 1000 nodes/],
  ['100k-deep flow sequences', () => file('flow.yaml', `a: ${'['.repeat(DEEP)}x${']'.repeat(DEEP)}`), /:1:\d+ .*nested deeper than 64 levels/],
  ['100k-deep unclosed flow', () => file('open.yaml', `a: ${'['.repeat(DEEP)}`), /:1:\d+ .*nested deeper than 64 levels/],
  ['100k-deep compact sequences', () => file('seq.yaml', `${'- '.repeat(DEEP)}x`), /:1:\d+ .*nested deeper than 64 levels/],
  ['deep block mappings', () => file('block.yaml', Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')), /:65:\d+ .*nested deeper than 64 levels/],
  ['50 MB of garbage', () => garbageFile('garbage-50m.yaml', 50 * 1024 * 1024, 7), /the file is 52428800 bytes, over the 8388608 byte limit/],
  ['8 MB of garbage (just under the size limit)', () => garbageFile('garbage-8m.yaml', 8 * 1024 * 1024 - 1, 11), /:\d+:\d+ /],
];

describe('hostile registry files', () => {
  it.each(cases)('%s: one clear error, bounded time and memory', (_name, make, expected) => {
    const result = loadInChild(make());
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(expected);
    // One clear error, or the first few and a count: never megabytes.
    expect(result.output.length).toBeLessThan(10_000);
    expect(result.problems).toBeLessThanOrEqual(21);
    expect(result.ms).toBeLessThan(LOAD_BOUND_MS);
    expect(result.maxRssMb).toBeLessThan(RSS_BOUND_MB);
  }, 90_000);
});
