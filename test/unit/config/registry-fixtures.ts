/** Helpers for the config tests: fixture text, variants of the minimal registry, problem lists. */
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { parseRegistry } from '../../../src/config/load.js';
import type { Problem } from '../../../src/config/problem.js';
import type { Registry } from '../../../src/config/schema.js';

export function fixtureText(name: string): string {
  return readFileSync(new URL(`../../fixtures/registry/${name}`, import.meta.url), 'utf8');
}

export function exampleText(): string {
  return readFileSync(new URL('../../../config/hotline.example.yaml', import.meta.url), 'utf8');
}

/** The minimal registry as YAML after `change` — for tests of one rule at a time. */
export function minimalWith(change: (r: Registry) => void): string {
  const registry = parse(fixtureText('minimal.yaml')) as Registry;
  change(registry);
  return stringify(registry);
}

/** Every problem (errors and warnings) the loader reports for `text`. */
export function problemsIn(text: string, file = 'test.yaml'): Problem[] {
  const result = parseRegistry(text, file);
  return result.ok ? result.warnings : result.problems;
}

/** `path  message` of each problem: compact to compare against. */
export function summaries(problems: readonly Problem[]): string[] {
  return problems.map((p) => `${p.path}  ${p.message}`);
}
