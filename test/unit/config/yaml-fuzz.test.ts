/**
 * Property-based fuzzing of the registry loader: whatever the text, parseRegistry returns a
 * result (a registry, or problems each with a place and a message) — it never throws, its
 * output stays short, and it finishes in bounded time.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRegistry } from '../../../src/config/load.js';
import { formatProblems } from '../../../src/config/problem.js';
import { exampleText, fixtureText } from './registry-fixtures.js';

/**
 * One load of anything the fuzzer makes. A mutated example loads in ~50 ms on average here, the
 * slowest of 1,500 in 1.4 s on a loaded machine (a GC pause); what this catches is a blow-up —
 * the library took seconds to minutes on some inputs before the bounds — not jitter.
 */
const PER_LOAD_MS = 5_000;

function checkLoad(text: string): void {
  const started = performance.now();
  let result: ReturnType<typeof parseRegistry>;
  try {
    result = parseRegistry(text, 'fuzz.yaml');
  } catch (err) {
    throw new Error(`parseRegistry threw on ${JSON.stringify(text.slice(0, 200))}`, { cause: err });
  }
  const ms = performance.now() - started;
  expect(ms).toBeLessThan(PER_LOAD_MS);
  if (result.ok) return;
  expect(result.problems.length).toBeGreaterThan(0);
  for (const p of result.problems) {
    expect(p.file).toBe('fuzz.yaml');
    expect(Number.isInteger(p.line) && p.line >= 0).toBe(true);
    expect(Number.isInteger(p.col) && p.col >= 0).toBe(true);
    expect(p.message.length).toBeGreaterThan(0);
  }
  // Many problems are possible in a big broken file, but not an unbounded wall of text per byte.
  expect(formatProblems(result.problems).length).toBeLessThan(20_000 + text.length * 4);
}

const yamlish = fc.constantFrom(
  '[', ']', '{', '}', ':', ': ', ',', '- ', '? ', '|', '>', '&a ', '*a', '!!str ', '!x ', '#', '"', "'", '\\', '%YAML 1.2\n', '---\n', '...\n',
  '\n', '  ', '\t', 'lines', 'queues', 'agents', 'hotline', 'number', '12345', '0575', 'true', '~', 'null', '1e9', '<<', '热线', '\u0000', '\ufeff',
);

/** The example registry with a few characters replaced, inserted or deleted. */
const mutatedRegistry = (base: string) => fc.array(
  fc.tuple(fc.nat({ max: base.length }), fc.nat({ max: 8 }), fc.oneof(yamlish, fc.string({ maxLength: 4 }))),
  { minLength: 1, maxLength: 6 },
).map((edits) => {
  let text = base;
  for (const [at, remove, insert] of edits) {
    const i = Math.min(at, text.length);
    text = text.slice(0, i) + insert + text.slice(i + remove);
  }
  return text;
});

describe('registry loader fuzz', () => {
  it('random YAML-ish token soup: a result, never a throw, bounded time', () => {
    fc.assert(fc.property(fc.array(yamlish, { maxLength: 400 }).map((t) => t.join('')), checkLoad), { numRuns: 400 });
  });

  it('random unicode text', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 500 }), checkLoad), { numRuns: 300 });
  });

  it('the example registry, mutated', () => {
    fc.assert(fc.property(mutatedRegistry(exampleText()), checkLoad), { numRuns: 250 });
  });

  it('the minimal registry, mutated', () => {
    fc.assert(fc.property(mutatedRegistry(fixtureText('minimal.yaml')), checkLoad), { numRuns: 250 });
  });

  it('any JSON value as the document', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 8 }), (v) => checkLoad(JSON.stringify(v))), { numRuns: 300 });
  });

  it('deep and wide nests of flow and block collections', () => {
    const nest = fc.tuple(fc.nat({ max: 300 }), fc.constantFrom('[', '{a: ', '- ', '? ', '&x [', '*x, ['), fc.boolean())
      .map(([depth, open, close]) => `root: ${open.repeat(depth)}1${close ? (open.includes('{') ? '}' : ']').repeat(depth) : ''}`);
    fc.assert(fc.property(nest, checkLoad), { numRuns: 150 });
  });
});
