/**
 * The repository stands on its own: no pointer to a design brief that a user who clones it does
 * not have (a `DESIGN §N`, a `DESIGN.md`, a path into `../shared/`), and every relative link in
 * the README and docs/ leads to a file that exists.
 */
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const self = fileURLToPath(import.meta.url);
const SCANNED = ['src', 'docs', 'test', 'scripts', 'bench', 'freeswitch-conf', 'config', 'README.md', 'eslint.config.js', 'package.json'];
const SKIPPED_EXT = /\.(wav|png|jpg|ico|woff2?)$/;
const OUTSIDE_POINTER = /DESIGN\s*§|DESIGN\.md|\.\.\/shared\b/;

function files(path: string): string[] {
  if (!existsSync(path)) return [];
  if (statSync(path).isFile()) return [path];
  return readdirSync(path).flatMap((name) => (name === 'node_modules' ? [] : files(join(path, name))));
}

describe('the repository stands on its own', () => {
  it('no file points to the design brief or to ../shared', () => {
    const offenders: string[] = [];
    for (const file of SCANNED.flatMap((p) => files(join(root, p)))) {
      if (file === self || SKIPPED_EXT.test(file)) continue;
      readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
        if (OUTSIDE_POINTER.test(line)) offenders.push(`${relative(root, file)}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(offenders).toEqual([]);
  });

  it('the check would see a pointer', () => {
    expect(OUTSIDE_POINTER.test('the pool (DESIGN §3)')).toBe(true);
    expect(OUTSIDE_POINTER.test('see `../shared/DESIGN.md`')).toBe(true);
  });

  it('every relative link in the README and docs/ leads to an existing file', () => {
    const broken: string[] = [];
    for (const doc of [join(root, 'README.md'), ...files(join(root, 'docs')), join(root, 'freeswitch-conf/README.md')]) {
      for (const m of readFileSync(doc, 'utf8').matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
        const target = m[1] ?? '';
        if (/^[a-z]+:/.test(target)) continue;
        if (!existsSync(resolve(dirname(doc), target))) broken.push(`${relative(root, doc)} → ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
