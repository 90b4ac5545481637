/**
 * The registry loader's bounds, each at its edge: file size, nesting depth, alias count; the
 * error output of a broken file stays short.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRegistryFile, parseRegistry } from '../../../src/config/load.js';
import { formatProblems } from '../../../src/config/problem.js';
import { DEFAULT_YAML_LIMITS, roughDepthExceeds, type YamlLimits } from '../../../src/config/yaml-bounds.js';
import { MAX_YAML_ERRORS, parseYaml } from '../../../src/config/yaml-source.js';
import { exampleText, fixtureText } from './registry-fixtures.js';

const limits = (over: Partial<YamlLimits>): YamlLimits => ({ ...DEFAULT_YAML_LIMITS, ...over });
const messages = (r: ReturnType<typeof parseYaml>): string[] => (r.ok ? [] : r.problems.map((p) => p.message));

/** `depth` nested block mappings: a: / b: / … / leaf value. */
function blockNest(depth: number): string {
  return Array.from({ length: depth }, (_, i) => `${'  '.repeat(i)}k${i}:${i === depth - 1 ? ' x' : ''}`).join('\n');
}
const flowNest = (depth: number): string => `a: ${'['.repeat(depth - 1)}x${']'.repeat(depth - 1)}`;

describe('registry size limit', () => {
  const text = fixtureText('minimal.yaml');
  const size = Buffer.byteLength(text);

  it('loads a file of exactly the limit and refuses one byte more, before parsing it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'registry-size-'));
    const file = join(dir, 'hotline.yaml');
    writeFileSync(file, text);
    const atLimit = await loadRegistryFile(file, limits({ maxBytes: size }));
    expect(atLimit.ok).toBe(true);
    const over = await loadRegistryFile(file, limits({ maxBytes: size - 1 }));
    expect(over.ok ? [] : over.problems).toEqual([expect.objectContaining({
      file, line: 0, severity: 'error', message: `the file is ${size} bytes, over the ${size - 1} byte limit`,
    })]);
    expect(parseRegistry(text, 'x.yaml', limits({ maxBytes: size - 1 })).ok).toBe(false);
    expect(parseRegistry(text, 'x.yaml', limits({ maxBytes: size })).ok).toBe(true);
  });

  it('a path that never ends (/dev/zero) is cut off at the limit', async () => {
    const result = await loadRegistryFile('/dev/zero', limits({ maxBytes: 4096 }));
    expect(result.ok ? [] : result.problems.map((p) => p.message)).toEqual(['the file is 4097 bytes, over the 4096 byte limit']);
  });

  it('counts bytes, not characters (UTF-8)', () => {
    const chinese = `# ${'热'.repeat(100)}\n${text}`;
    const bytes = Buffer.byteLength(chinese);
    expect(bytes).toBeGreaterThan(chinese.length);
    expect(parseRegistry(chinese, 'x.yaml', limits({ maxBytes: bytes })).ok).toBe(true);
    expect(parseRegistry(chinese, 'x.yaml', limits({ maxBytes: chinese.length + 1 })).ok).toBe(false);
  });
});

describe('registry nesting limit', () => {
  it.each([
    ['block mappings', blockNest],
    ['flow sequences', flowNest],
  ])('%s: exactly the limit parses, one level more is refused with its line:col', (_name, nest) => {
    const max = 12;
    expect(parseYaml(nest(max), 'x.yaml', limits({ maxDepth: max })).ok).toBe(true);
    const over = parseYaml(nest(max + 1), 'x.yaml', limits({ maxDepth: max }));
    expect(over.ok).toBe(false);
    expect(over.ok ? [] : over.problems).toEqual([expect.objectContaining({ severity: 'error', message: 'YAML: nested deeper than 12 levels' })]);
    const [problem] = over.ok ? [] : over.problems;
    expect(problem?.line).toBeGreaterThanOrEqual(1);
    expect(problem?.col).toBeGreaterThanOrEqual(1);
  });

  it('points at the line where the nesting passes the limit', () => {
    const over = parseYaml(blockNest(10), 'x.yaml', limits({ maxDepth: 6 }));
    expect(over.ok ? undefined : over.problems[0]).toMatchObject({ line: 7 });
  });

  it('the example registry is far from the default limit', () => {
    expect(roughDepthExceeds(exampleText(), 8)).toBe(-1);
    expect(parseRegistry(exampleText(), 'example.yaml').ok).toBe(true);
  });

  it('brackets and quotes inside scalars and comments do not count as nesting', () => {
    const text = [
      'a: "[[[[[[[[[[[["',
      "b: '{{{{{{{{{{{{'",
      '# [[[[[[[[[[[[[[[[',
      'c: text with [brackets] in it',
      "d: don't [[[[ stop",
    ].join('\n');
    expect(roughDepthExceeds(text, 6)).toBe(-1);
  });
});

describe('registry alias limit', () => {
  const withAliases = (n: number): string =>
    ['base: &b 1', 'list:', ...Array.from({ length: n }, () => '  - *b')].join('\n');

  it('exactly the limit parses, one alias more is refused with its line:col', () => {
    expect(parseYaml(withAliases(20), 'x.yaml', limits({ maxAliases: 20 })).ok).toBe(true);
    const over = parseYaml(withAliases(21), 'x.yaml', limits({ maxAliases: 20 }));
    expect(over.ok ? [] : over.problems).toEqual([expect.objectContaining({ line: 23, col: 5, message: 'YAML: more than 20 aliases' })]);
  });

  it('billion laughs: expansion stopped by the library\'s maxAliasCount, one error', () => {
    const lol = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i += 1) {
      const prev = String.fromCharCode(96 + i);
      const next = String.fromCharCode(97 + i);
      lol.push(`${next}: &${next} [${Array.from({ length: 9 }, () => `*${prev}`).join(',')}]`);
    }
    const started = performance.now();
    const result = parseYaml(lol.join('\n'), 'x.yaml');
    expect(messages(result)).toEqual(['YAML: aliases expand beyond 1000 nodes']);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('error output of a broken file', () => {
  it('many errors: the first few and a count, each message short', () => {
    const garbage = Array.from({ length: 5000 }, (_, i) => `k${i}: [unclosed, "x\n\t- :: ]`).join('\n');
    const result = parseYaml(garbage, 'x.yaml');
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems.length).toBeLessThanOrEqual(MAX_YAML_ERRORS + 1 + MAX_YAML_ERRORS);
    expect(formatProblems(problems).length).toBeLessThan(10_000);
    for (const p of problems) expect(p.line).toBeGreaterThanOrEqual(1);
  });

  it('one minified line of a megabyte: messages stay short', () => {
    const line = `a: ${'x: '.repeat(400_000)}`;
    const result = parseYaml(line, 'x.yaml');
    expect(result.ok).toBe(false);
    expect(formatProblems(result.ok ? [] : result.problems).length).toBeLessThan(10_000);
  });
});
