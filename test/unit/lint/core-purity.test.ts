import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

// The probe files do not exist on disk, so type-aware rules are switched off for them; the
// purity rules under test are syntactic and stay on.
const eslint = new ESLint({
  cwd: process.cwd(),
  overrideConfig: [{
    files: ['**/__probe__*.ts'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { parserOptions: { projectService: false, project: null } },
  }],
});

async function ruleIdsFor(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path });
  return (result?.messages ?? []).map((m) => m.ruleId ?? `fatal: ${m.message}`);
}

const core = 'src/core/routing/__probe__.ts';

describe('lint keeps src/core pure', () => {
  it.each([
    ['a Node built-in', "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;", 'no-restricted-imports'],
    ['a bare built-in', "import net from 'net';\nexport const n = net;", 'no-restricted-imports'],
    ['an I/O library', "import Redis from 'ioredis';\nexport const r = Redis;", 'no-restricted-imports'],
    ['an adapter', "import { x } from '../../adapters/esl/client.js';\nexport const y = x;", 'no-restricted-imports'],
    ['a config value', "import { Registry } from '../../config/schema.js';\nexport const y = Registry;", 'no-restricted-imports'],
    ['Date.now()', 'export const t = Date.now();', 'no-restricted-properties'],
    ['new Date()', 'export const t = new Date();', 'no-restricted-syntax'],
    ['Math.random()', 'export const r = Math.random();', 'no-restricted-properties'],
    ['setTimeout', 'export const h = setTimeout(() => undefined, 1);', 'no-restricted-globals'],
    ['process', 'export const e = process.env;', 'no-restricted-globals'],
  ])('refuses %s', async (_what, code, rule) => {
    expect(await ruleIdsFor(core, code)).toContain(rule);
  });

  it('allows pure code and type-only imports of the registry', async () => {
    const code = "import type { Registry } from '../../config/schema.js';\n" +
      'export const count = (r: Registry): number => r.lines.length + new Date(0).getTime();\n';
    expect(await ruleIdsFor(core, code)).toEqual([]);
  });

  it('does not restrict adapters', async () => {
    const code = "import { readFileSync } from 'node:fs';\nexport const t = Date.now() + readFileSync.length;\n";
    expect(await ruleIdsFor('src/adapters/store/__probe__.ts', code)).toEqual([]);
  });
});
