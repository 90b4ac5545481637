/**
 * Where tokens come from: the tokens file (validated, frozen, secrets never echoed), the
 * constant-time lookup, and the embedded default — one random admin token per start.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import type * as NodeCrypto from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/adapters/http/app.js';
import { accessControl } from '../../../src/adapters/http/auth/index.js';
import { TokenStore } from '../../../src/adapters/http/auth/token-store.js';
import { agentRoutes } from '../../../src/adapters/http/routes/agents.js';
import { createLogger } from '../../../src/lib/logger.js';
import { AccessConfigError, accessSettingsFromEnv, loadTokensFile, parseTokens } from '../../../src/settings/access.js';
import { harness } from '../acd-service/harness.js';
import { cityWithDepartments } from './auth-fixture.js';

// Wrap (not replace) timingSafeEqual so the test can see the lookup goes through it.
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof NodeCrypto>();
  return { ...real, timingSafeEqual: vi.fn(real.timingSafeEqual) };
});
const crypto = await import('node:crypto');
const timingSafeEqual = vi.mocked(crypto.timingSafeEqual);

const silent = createLogger({ level: 'silent' });
const hex = (s: string) => createHash('sha256').update(s).digest('hex');

async function tempFile(name: string, content: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hotline-tokens-'));
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

describe('tokens file', () => {
  it('reads YAML and JSON, plain tokens and sha256 digests; the result is frozen', async () => {
    const yaml = await tempFile('t.yaml', [
      '- { token: "yaml-admin-token-123456", role: admin, name: ops }',
      `- { sha256: "${hex('a-department-token-0001')}", role: department, department: transport, name: transport-bureau }`,
    ].join('\n'));
    const json = await tempFile('t.json', JSON.stringify([{ token: 'json-agent-token-123456', role: 'agent', agentId: 'g1', name: 'desk-g1' }]));
    const fromYaml = await loadTokensFile(yaml);
    expect(fromYaml.map((e) => [e.name, e.role])).toEqual([['ops', 'admin'], ['transport-bureau', 'department']]);
    expect(Object.isFrozen(fromYaml) && Object.isFrozen(fromYaml[0])).toBe(true);
    expect((await loadTokensFile(json))[0]).toMatchObject({ role: 'agent', agentId: 'g1' });
  });

  it.each([
    ['short token', [{ token: 'short', role: 'admin', name: 'a' }], '/0'],
    ['unknown role', [{ token: 'long-enough-token-0001', role: 'root', name: 'a' }], '/0'],
    ['agent without agentId', [{ token: 'long-enough-token-0001', role: 'agent', name: 'a' }], 'role agent needs agentId'],
    ['department without department', [{ token: 'long-enough-token-0001', role: 'department', name: 'a' }], 'role department needs department'],
    ['agentId on a supervisor', [{ token: 'long-enough-token-0001', role: 'supervisor', agentId: 'g1', name: 'a' }], 'agentId is only for role agent'],
    ['canSeeCallerNumbers on a department', [{ token: 'long-enough-token-0001', role: 'department', department: 'x', canSeeCallerNumbers: true, name: 'a' }], 'only for role supervisor'],
    ['duplicate names', [{ token: 'long-enough-token-0001', role: 'admin', name: 'a' }, { token: 'long-enough-token-0002', role: 'admin', name: 'a' }], 'duplicate names'],
    ['not a list', { token: 'long-enough-token-0001' }, 'Expected array'],
  ])('refuses %s, without echoing the secret', (_what, content, message) => {
    let error: unknown;
    try { parseTokens(content, 'tokens.yaml'); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(AccessConfigError);
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).not.toContain('long-enough-token');
  });

  it('refuses tokens bound to an agent or department the registry does not have', async () => {
    const path = await tempFile('t.json', JSON.stringify([
      { token: 'long-enough-token-0001', role: 'agent', agentId: 'nobody', name: 'ghost' },
      { token: 'long-enough-token-0002', role: 'department', department: 'mars', name: 'mars' },
    ]));
    await expect(accessControl({ settings: { tokensFile: path }, registry: cityWithDepartments(), logger: silent }))
      .rejects.toThrow(/ghost: no agent "nobody".*mars: no line has department "mars"/);
  });

  it('a missing file is a configuration error naming the file', async () => {
    await expect(loadTokensFile('/nonexistent/tokens.yaml')).rejects.toThrow(/HOTLINE_TOKENS_FILE \/nonexistent\/tokens.yaml/);
  });

  it('HOTLINE_TOKENS_FILE from the environment; empty means unset', () => {
    expect(accessSettingsFromEnv({ HOTLINE_TOKENS_FILE: '/etc/hotline/tokens.yaml' })).toEqual({ tokensFile: '/etc/hotline/tokens.yaml' });
    expect(accessSettingsFromEnv({ HOTLINE_TOKENS_FILE: '' })).toEqual({});
    expect(Object.isFrozen(accessSettingsFromEnv({}))).toBe(true);
  });
});

describe('token lookup', () => {
  const store = new TokenStore([
    { token: 'first-token-000000001', role: 'admin', name: 'one' },
    { sha256: hex('second-token-00000002'), role: 'supervisor', name: 'two' },
    { token: 'third-token-000000003', role: 'agent', agentId: 'g1', name: 'three' },
  ]);

  it('compares against every entry with timingSafeEqual, match or not', () => {
    timingSafeEqual.mockClear();
    expect(store.find('first-token-000000001')?.name).toBe('one');
    expect(timingSafeEqual).toHaveBeenCalledTimes(3);
    timingSafeEqual.mockClear();
    expect(store.find('nobody-has-this-token')).toBeUndefined();
    expect(timingSafeEqual).toHaveBeenCalledTimes(3);
  });

  it('finds a token configured by its digest; never by the digest itself', () => {
    expect(store.find('second-token-00000002')?.role).toBe('supervisor');
    expect(store.find(hex('second-token-00000002'))).toBeUndefined();
  });

  it('only admins see caller numbers unless a supervisor is entitled', () => {
    expect(store.principals().map((p) => p.canSeeCallerNumbers)).toEqual([true, false, false]);
  });

  it('the same token twice is refused', () => {
    expect(() => new TokenStore([
      { token: 'same-token-000000001', role: 'admin', name: 'a' },
      { sha256: hex('same-token-000000001'), role: 'agent', agentId: 'g1', name: 'b' },
    ])).toThrow(/twice/);
  });
});

describe('no tokens file: the embedded default', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => { await app?.close(); });

  it('generates a random admin token per start, which works; fixed guesses do not', async () => {
    const h = await harness({ registry: cityWithDepartments() });
    const a = await accessControl({ settings: {}, registry: cityWithDepartments(), logger: silent });
    const b = await accessControl({ settings: {}, registry: cityWithDepartments(), logger: silent });
    expect(a.generatedAdminToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(b.generatedAdminToken).not.toBe(a.generatedAdminToken);
    expect(a.tokenCount).toBe(1);
    app = await buildApp({ logger: silent, health: [], plugins: [a.plugin, agentRoutes(h.acd)] });
    const as = (token: string) => app!.inject({ url: '/api/agents', headers: { authorization: `Bearer ${token}` } });
    expect((await as(a.generatedAdminToken!)).statusCode).toBe(200);
    for (const guess of ['admin', 'changeme', 'generated-admin', 'hotline', b.generatedAdminToken!]) {
      expect((await as(guess)).statusCode).toBe(401);
    }
    await h.acd.stop();
  });

  it('a configured tokens file generates nothing', async () => {
    const path = await tempFile('t.json', JSON.stringify([{ token: 'configured-admin-00001', role: 'admin', name: 'ops' }]));
    const built = await accessControl({ settings: { tokensFile: path }, registry: cityWithDepartments(), logger: silent });
    expect(built.generatedAdminToken).toBeUndefined();
  });
});
