/**
 * The layering rule of docs/architecture.md, as lint enforces it: core imports only core; app
 * imports core, app and types (registry schema, logger) — never adapters, settings, prompts,
 * dialplan, the wiring, Node I/O or I/O libraries; adapters never import the wiring. Each probe
 * sits two or three folders deep, where a relative `../../compose/…` is easy to write.
 */
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

// The probe files do not exist on disk, so type-aware rules are off for them; the import rules
// under test are syntactic and stay on.
const eslint = new ESLint({
  cwd: process.cwd(),
  overrideConfig: [{
    files: ['**/__probe__*.ts'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { parserOptions: { projectService: false, project: null } },
  }],
});

async function restrictedImports(path: string, code: string): Promise<number> {
  const [result] = await eslint.lintText(code, { filePath: path });
  const messages = result?.messages ?? [];
  const fatal = messages.find((m) => m.ruleId === null);
  if (fatal) throw new Error(`probe did not parse: ${fatal.message}`);
  return messages.filter((m) => m.ruleId === 'no-restricted-imports').length;
}

const use = (spec: string): string => `import { x } from '${spec}';\nexport const y = x;\n`;
const useType = (spec: string): string => `import type { X } from '${spec}';\nexport type Y = X;\n`;

const coreDeep = 'src/core/acd/__probe__.ts';
const coreDeeper = 'src/core/acd/parts/__probe__.ts';
const appDeep = 'src/app/acd/__probe__.ts';
const appDeeper = 'src/app/acd/parts/__probe__.ts';
const adapterDeep = 'src/adapters/store/redis/__probe__.ts';

describe('lint enforces the layering at any depth', () => {
  it.each([
    [coreDeep, use('../../compose/router.js')],
    [coreDeeper, use('../../../compose/router.js')],
    [coreDeep, use('../../settings/settings.js')],
    [coreDeep, use('../../prompts/variants.js')],
    [coreDeeper, use('../../../dialplan/generate.js')],
    [coreDeep, use('../../app/acd/acd-service.js')],
    [coreDeep, use('../../main.js')],
    [coreDeep, use('../../cli/serve.js')],
    [coreDeep, use('kysely')],
    [coreDeep, useType('../../settings/settings.js')],
  ])('core (%s) refuses %j', async (path, code) => {
    expect(await restrictedImports(path, code)).toBeGreaterThan(0);
  });

  it('core accepts core and `import type` from config', async () => {
    expect(await restrictedImports(coreDeeper, use('../../routing/route.js') + useType('../../../config/schema.js'))).toBe(0);
  });

  it.each([
    [appDeep, use('../../compose/router.js')],
    [appDeeper, use('../../../compose/state-store.js')],
    [appDeep, use('../../adapters/store/redis/index.js')],
    [appDeeper, use('../../../adapters/esl/index.js')],
    [appDeep, use('../../settings/settings.js')],
    [appDeep, use('../../prompts/variants.js')],
    [appDeep, use('../../dialplan/index.js')],
    [appDeep, use('../../main.js')],
    [appDeeper, use('../../../cli.js')],
    [appDeep, use('../../cli/serve.js')],
    [appDeep, use('../../config/load.js')],
    [appDeep, use('../../lib/logger.js')],
    [appDeep, use('node:fs')],
    [appDeep, use('fs/promises')],
    [appDeep, use('node:net')],
    [appDeep, use('node:child_process')],
    [appDeep, use('http')],
    [appDeep, use('ioredis')],
    [appDeep, use('pg')],
    [appDeep, use('kysely')],
    [appDeep, use('better-sqlite3')],
    [appDeep, use('fastify')],
    [appDeep, use('pino')],
    [appDeep, use('node-cron')],
    [appDeep, use('prom-client')],
    [appDeep, use('modesl')],
    [appDeep, use('drachtio-srf')],
  ])('app (%s) refuses %j', async (path, code) => {
    expect(await restrictedImports(path, code)).toBeGreaterThan(0);
  });

  it('app accepts core, app (including its own cluster/ folder), and types from config, the logger and pino', async () => {
    const code = use('../../../core/acd/dispatch.js') + use('../../cluster/cluster-port.js') + use('../../call/manager.js')
      + useType('../../../config/schema.js') + useType('../../../lib/logger.js') + useType('pino');
    expect(await restrictedImports(appDeeper, code)).toBe(0);
  });

  it.each([
    [adapterDeep, use('../../../compose/state-store.js')],
    [adapterDeep, use('../../../main.js')],
    [adapterDeep, use('../../../cli.js')],
    [adapterDeep, use('../../../cli/serve.js')],
  ])('adapters (%s) refuse %j', async (path, code) => {
    expect(await restrictedImports(path, code)).toBeGreaterThan(0);
  });

  it('adapters accept I/O, app, core and their own files (a `client.js` is not the cli)', async () => {
    const code = use('ioredis') + use('node:net') + use('./client.js') + use('../../../app/acd/acd-service.js')
      + use('../../../core/acd/store-port.js') + use('../../../lib/logger.js');
    expect(await restrictedImports(adapterDeep, code)).toBe(0);
  });

  it('the wiring may import everything', async () => {
    const code = use('../adapters/store/redis/index.js') + use('../settings/settings.js') + use('ioredis');
    expect(await restrictedImports('src/compose/__probe__.ts', code)).toBe(0);
  });
});
