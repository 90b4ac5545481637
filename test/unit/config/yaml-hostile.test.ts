/**
 * Hostile registry files end in one clear error (or the first few and a note), in bounded time
 * and memory. Each is loaded in a child process of its own whose heap is capped at HEAP_MB —
 * running out of memory would crash it — and compared with a baseline: a well-formed registry
 * just under the size limit, which the YAML library itself needs about 230 MB RSS and a few
 * seconds for (time linear in the size). So each hostile file's CPU time and peak RSS are bounded
 * against that baseline measured the same way, not against fixed figures; CPU time, not wall
 * time, because the baseline and each case run at different moments and the machine's load
 * between them (other test files in parallel) stretches wall time several-fold, not the work.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LIMIT_DEFAULTS } from '../../../src/settings/limits.js';
import { repoRoot } from '../../support/run-cli.js';

const HEAP_MB = 512;
const MAX_BYTES = LIMIT_DEFAULTS.registryMaxBytes;

interface ChildResult { file: string; ok: boolean; output: string; problems: number; ms: number; cpuMs: number; maxRssMb: number }

function loadInChild(file: string): ChildResult {
  const r = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_MB}`, '--import', 'tsx', 'test/support/load-registry-child.ts', file], {
    cwd: repoRoot, encoding: 'utf8', timeout: 120_000, maxBuffer: 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`child exited ${String(r.status)} ${String(r.signal)}: ${r.stderr.slice(0, 2000)}`);
  const [result] = JSON.parse(r.stdout) as ChildResult[];
  if (result === undefined) throw new Error('child printed no result');
  return result;
}

const dir = mkdtempSync(join(tmpdir(), 'registry-hostile-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** `unit(i)` repeated to just under `size` bytes, cut at a line end. */
function repeated(name: string, size: number, unit: (i: number) => string): string {
  const parts: string[] = [];
  let n = 0;
  for (let i = 0; ; i += 1) {
    const u = unit(i);
    if (n + u.length > size) break;
    parts.push(u);
    n += u.length;
  }
  return file(name, parts.join(''));
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

/** Random bytes drawn from YAML's significant characters, written in pieces. */
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

/** A well-formed registry just under the limit: the example with many more agents. */
function baseline(): string {
  const example = readFileSync(new URL('../../../config/hotline.example.yaml', import.meta.url), 'utf8');
  const at = example.indexOf('\nagents:\n');
  if (at < 0) throw new Error('example registry has no top-level agents: list');
  const cut = at + '\nagents:\n'.length;
  const agent = (i: number) => `  - { id: "${String(200000 + i)}", name: 坐席${i}, dial: user/${String(200000 + i)}, skills: { general: 5 }, queues: [general] }\n`;
  const parts: string[] = [];
  let n = Buffer.byteLength(example);
  for (let i = 0; n + Buffer.byteLength(agent(i)) < MAX_BYTES; i += 1) {
    parts.push(agent(i));
    n += Buffer.byteLength(agent(i));
  }
  return file('baseline.yaml', example.slice(0, cut) + parts.join('') + example.slice(cut));
}

const DEEP = 100_000;
const cases: [string, () => string, RegExp][] = [
  ['billion laughs', () => file('laughs.yaml', billionLaughs()), /aliases expand beyond 1000 nodes/],
  ['100k-deep flow sequences', () => file('flow.yaml', `a: ${'['.repeat(DEEP)}x${']'.repeat(DEEP)}`), /:1:\d+ .*nested deeper than 64 levels/],
  ['100k-deep unclosed flow', () => file('open.yaml', `a: ${'['.repeat(DEEP)}`), /:1:\d+ .*nested deeper than 64 levels/],
  ['100k-deep compact sequences', () => file('seq.yaml', `${'- '.repeat(DEEP)}x`), /:1:\d+ .*nested deeper than 64 levels/],
  ['100k-deep compact mappings', () => file('map.yaml', `${'a: '.repeat(DEEP)}x`), /:1:\d+ .*nested deeper than 64 levels/],
  ['deep block mappings', () => file('block.yaml', Array.from({ length: 600 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')), /:\d+:\d+ .*nested deeper than 64 levels/],
  ['50 MB of garbage', () => garbageFile('garbage-50m.yaml', 50 * 1024 * 1024, 7), /the file is 52428800 bytes, over the 1048576 byte limit/],
  ['random garbage just under the limit', () => garbageFile('garbage.yaml', MAX_BYTES - 1, 11), /:\d+:\d+ /],
  ['a tab on every line', () => repeated('tabs.yaml', MAX_BYTES, (i) => `\tk${i}: 1\n`), /Tabs are not allowed[\s\S]*reading stopped here/],
  ['`a: b: c` on every line', () => repeated('compact.yaml', MAX_BYTES, () => 'a: b: c\n'), /Nested mappings are not allowed[\s\S]*reading stopped here/],
  ['one key repeated', () => repeated('dupes.yaml', MAX_BYTES, () => 'a: 1\n'), /Map keys must be unique/],
  ['an unclosed quote and bracket on every line', () => repeated('unclosed.yaml', MAX_BYTES, (i) => `k${i}: [unclosed, "x\n\t- :: ]\n`), /:\d+:\d+ [\s\S]*reading stopped here/],
];

describe('hostile registry files', () => {
  let base: ChildResult | undefined;
  const baseOf = (): ChildResult => {
    base ??= loadInChild(baseline());
    return base;
  };

  it('the baseline, a well-formed registry at the size limit, loads', () => {
    const b = baseOf();
    expect(b.ok, b.output).toBe(true);
    console.info(`registry baseline at ${MAX_BYTES} bytes: ${Math.round(b.cpuMs)} ms CPU (${Math.round(b.ms)} ms wall), peak RSS ${Math.round(b.maxRssMb)} MB`);
  }, 130_000);

  it.each(cases)('%s: one clear error, in bounded time and memory', (name, make, expected) => {
    const b = baseOf();
    const result = loadInChild(make());
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(expected);
    // One clear error, or the first few and a note: never megabytes.
    expect(result.output.length).toBeLessThan(10_000);
    expect(result.problems).toBeLessThanOrEqual(21);
    // No worse than the library on a well-formed file of the size limit, give or take.
    expect(result.cpuMs, `${Math.round(result.cpuMs)} ms CPU vs baseline ${Math.round(b.cpuMs)} ms`).toBeLessThan(2 * b.cpuMs + 2000);
    expect(result.maxRssMb, `${Math.round(result.maxRssMb)} MB vs baseline ${Math.round(b.maxRssMb)} MB`).toBeLessThan(2 * b.maxRssMb);
    console.info(`hostile registry "${name}": ${Math.round(result.cpuMs)} ms CPU (${Math.round(result.ms)} ms wall), peak RSS ${Math.round(result.maxRssMb)} MB`);
  }, 250_000);
});
