/**
 * The tokens file reloaded without a restart: a revoked token stops working at the next request,
 * a new one works; a bad file changes nothing and says why. SIGHUP runs the reload in `hotline serve`.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/adapters/http/app.js';
import { accessControl } from '../../../src/adapters/http/auth/index.js';
import { reloadTokensLogged, reloadTokensOnSighup } from '../../../src/compose/tokens-reload.js';
import { createLogger } from '../../../src/lib/logger.js';
import { cityWithDepartments } from './auth-fixture.js';

const A = 'first-admin-token-0000001';
const B = 'second-admin-token-000002';

async function served() {
  const dir = mkdtempSync(join(tmpdir(), 'tokens-reload-'));
  const file = join(dir, 'tokens.yaml');
  const write = (tokens: string[]) => { writeFileSync(file, JSON.stringify(tokens.map((t, i) => ({ token: t, role: 'admin', name: `admin-${i}` })))); };
  write([A]);
  const logs: Record<string, unknown>[] = [];
  const destination = new Writable({ write(chunk: Buffer, _e, done) { logs.push(JSON.parse(chunk.toString()) as Record<string, unknown>); done(); } });
  const logger = createLogger({ level: 'info', destination });
  const access = await accessControl({ settings: { tokensFile: file }, registry: cityWithDepartments(), logger });
  const app = await buildApp({
    logger, health: [],
    plugins: [access.plugin, (a) => { a.get('/api/ping', { config: { access: { roles: ['admin'] } } }, () => ({ ok: true })); return Promise.resolve(); }],
  });
  const status = async (token: string) => (await app.inject({ method: 'GET', url: '/api/ping', headers: { authorization: `Bearer ${token}` } })).statusCode;
  return { access, app, file, write, status, logs, logger };
}

describe('tokens reload', () => {
  it('a revoked token stops working at once, a new one works', async () => {
    const { access, app, write, status } = await served();
    expect(await status(A)).toBe(200);
    expect(await status(B)).toBe(401);
    write([B]);
    expect(await access.reloadTokens()).toEqual({ tokens: 1 });
    expect(await status(A)).toBe(401);
    expect(await status(B)).toBe(200);
    await app.close();
  });

  it('a bad file changes nothing and the error says why (logged, never with a secret)', async () => {
    const { access, app, file, status, logs, logger } = await served();
    writeFileSync(file, JSON.stringify([{ token: 'short', role: 'admin', name: 'x' }]));
    await expect(access.reloadTokens()).rejects.toThrow(/tokens\.yaml/);
    expect(await status(A)).toBe(200);
    expect(await reloadTokensLogged(() => access.reloadTokens(), logger)).toBe(false);
    expect(logs.filter((l) => l.msg === 'tokens reload refused; the tokens in force are kept')).toHaveLength(1);
    expect(JSON.stringify(logs)).not.toContain(A);
    await app.close();
  });

  it('SIGHUP reloads the tokens file', async () => {
    const { access, app, write, status, logs, logger } = await served();
    const remove = reloadTokensOnSighup(() => access.reloadTokens(), logger);
    try {
      write([B]);
      process.emit('SIGHUP', 'SIGHUP');
      for (let i = 0; i < 200 && !logs.some((l) => l.msg === 'tokens reloaded'); i += 1) await new Promise((r) => setTimeout(r, 10));
      expect(logs.filter((l) => l.msg === 'tokens reloaded')).toEqual([expect.objectContaining({ tokens: 1 })]);
      expect(await status(A)).toBe(401);
      expect(await status(B)).toBe(200);
    } finally {
      remove();
    }
    expect(process.listenerCount('SIGHUP')).toBe(0);
    await app.close();
  });

  it('without a tokens file there is nothing to reload', async () => {
    const access = await accessControl({ settings: {}, registry: cityWithDepartments(), logger: createLogger({ level: 'silent' }) });
    expect(await access.reloadTokens()).toEqual({ unchanged: 'no tokens file' });
  });
});
