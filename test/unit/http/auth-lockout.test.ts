/**
 * Failed authentications per source address: past the limit the address is locked out (429,
 * whatever token it shows) for the window; other addresses are not; each refusal is logged and
 * counted in Prometheus.
 */
import { Writable } from 'node:stream';
import { Registry as PromRegistry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/adapters/http/app.js';
import { accessControlFromTokens } from '../../../src/adapters/http/auth/index.js';
import { FailedAuthLimiter } from '../../../src/adapters/http/auth/failed-auth-limiter.js';
import { createLogger } from '../../../src/lib/logger.js';
import { T, TOKENS, cityWithDepartments } from './auth-fixture.js';

async function app(maxFailures: number) {
  const logs: Record<string, unknown>[] = [];
  const destination = new Writable({ write(chunk: Buffer, _e, done) { logs.push(JSON.parse(chunk.toString()) as Record<string, unknown>); done(); } });
  const logger = createLogger({ level: 'info', destination });
  const access = accessControlFromTokens(TOKENS, { registry: cityWithDepartments(), logger, lockout: { maxFailures, windowMs: 60_000 } });
  const prom = new PromRegistry();
  access.registerMetrics(prom);
  const server = await buildApp({
    logger, health: [],
    plugins: [access.plugin, (a) => { a.get('/api/ping', { config: { access: { roles: ['admin'] } } }, () => ({ ok: true })); return Promise.resolve(); }],
  });
  const get = (token: string, remoteAddress = '10.0.0.1') =>
    server.inject({ method: 'GET', url: '/api/ping', headers: { authorization: `Bearer ${token}` }, remoteAddress });
  const metric = async (name: string) => (await prom.getSingleMetricAsString(name));
  return { server, get, logs, metric };
}

describe('failed-auth lockout', () => {
  it('maxFailures - 1 wrong tokens leave the address in; the maxFailures-th locks it out, even for a right token', async () => {
    const { server, get, logs, metric } = await app(3);
    expect((await get('wrong-token-number-00001')).statusCode).toBe(401);
    expect((await get('wrong-token-number-00002')).statusCode).toBe(401);
    expect((await get(T.admin)).statusCode).toBe(200);
    expect((await get('wrong-token-number-00003')).statusCode).toBe(401);
    const locked = await get(T.admin);
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toMatchObject({ statusCode: 429, code: 'HOTLINE_ERR_AUTH_LOCKED' });
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(55);
    // Another address is not affected.
    expect((await get(T.admin, '10.0.0.2')).statusCode).toBe(200);

    expect(logs.filter((l) => l.msg === 'address locked out after failed authentications')).toEqual([
      expect.objectContaining({ address: '10.0.0.1', failures: 3 }),
    ]);
    expect(logs.filter((l) => l.msg === 'access refused' && l.reason === 'locked out')).toEqual([
      expect.objectContaining({ address: '10.0.0.1', status: 429 }),
    ]);
    expect(await metric('hotline_auth_refusals_total')).toMatch(/hotline_auth_refusals_total\{reason="invalid-token"\} 3/);
    expect(await metric('hotline_auth_refusals_total')).toMatch(/hotline_auth_refusals_total\{reason="locked-out"\} 1/);
    expect(await metric('hotline_auth_lockouts_total')).toMatch(/hotline_auth_lockouts_total 1/);
    // The logs never carry a token.
    expect(JSON.stringify(logs)).not.toContain('wrong-token-number');
    expect(JSON.stringify(logs)).not.toContain(T.admin);
    await server.close();
  });

  it('no token at all and a right token for the wrong route are not failed authentications', async () => {
    const { server, metric } = await app(1);
    expect((await server.inject({ method: 'GET', url: '/api/ping', remoteAddress: '10.0.0.3' })).statusCode).toBe(401);
    expect((await server.inject({ method: 'GET', url: '/api/ping', headers: { authorization: `Bearer ${T.supervisor}` }, remoteAddress: '10.0.0.3' })).statusCode).toBe(403);
    expect((await server.inject({ method: 'GET', url: '/api/ping', headers: { authorization: `Bearer ${T.admin}` }, remoteAddress: '10.0.0.3' })).statusCode).toBe(200);
    expect(await metric('hotline_auth_lockouts_total')).toMatch(/hotline_auth_lockouts_total 0/);
    await server.close();
  });

  it('AUTH_MAX_FAILURES=0: failures counted, never a lockout', async () => {
    const { server, get } = await app(0);
    for (let i = 0; i < 30; i += 1) expect((await get(`wrong-token-number-${String(i).padStart(5, '0')}`)).statusCode).toBe(401);
    expect((await get(T.admin)).statusCode).toBe(200);
    await server.close();
  });
});

describe('FailedAuthLimiter', () => {
  it('the lockout lasts the window, then the address starts afresh', () => {
    let now = 1_000_000;
    const limiter = new FailedAuthLimiter({ maxFailures: 2, windowMs: 10_000 }, () => now);
    expect(limiter.fail('a').locked).toBe(false);
    expect(limiter.fail('a')).toMatchObject({ locked: true, failures: 2, untilMs: 1_010_000 });
    now += 9_999;
    expect(limiter.lockedFor('a')).toBe(1);
    now += 1;
    expect(limiter.lockedFor('a')).toBe(0);
    expect(limiter.fail('a').locked).toBe(false);
  });

  it('failures spread wider than the window never lock', () => {
    let now = 0;
    const limiter = new FailedAuthLimiter({ maxFailures: 2, windowMs: 1000 }, () => now);
    for (let i = 0; i < 10; i += 1) {
      expect(limiter.fail('a').locked).toBe(false);
      now += 1000;
    }
  });

  it('tracks at most maxTracked addresses (the oldest go first)', () => {
    const limiter = new FailedAuthLimiter({ maxFailures: 5, windowMs: 60_000, maxTracked: 100 }, () => 0);
    for (let i = 0; i < 1000; i += 1) limiter.fail(`10.0.${Math.floor(i / 256)}.${i % 256}`);
    expect(limiter.tracked).toBeLessThanOrEqual(100);
  });
});
