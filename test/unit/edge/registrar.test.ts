import { createHash } from 'node:crypto';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { digestCheck, digestHa1 } from '../../../src/adapters/sip-edge/digest-crypto.js';
import { MemoryRegistrations } from '../../../src/adapters/store/memory/index.js';
import { AgentCalls } from '../../../src/app/edge/agent-calls.js';
import { NONCE_TTL_MS, Registrar, type RegisterView } from '../../../src/app/edge/registrar.js';
import type { AgentRegistrations } from '../../../src/app/edge/registrations.js';
import { SourceRate } from '../../../src/core/edge/index.js';
import { invite } from './edge-fixtures.js';

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
const REALM = 'hotline';
const PASSWORD = 'secret-1001';
const T0 = 1_790_000_000_000;

function harness(opts: { perMinute?: number; secrets?: boolean; store?: AgentRegistrations } = {}) {
  const clock = { at: T0 };
  const store = opts.store ?? new MemoryRegistrations();
  const events: string[] = [];
  let n = 0;
  const registrar = new Registrar({
    ha1: opts.secrets === false ? undefined : new Map([['1001', digestHa1('1001', REALM, PASSWORD)], ['1002', digestHa1('1002', REALM, 'secret-1002')]]),
    digest: digestCheck('k'.repeat(40), () => `r${++n}`),
    realm: REALM,
    store,
    limits: { minExpires: 60, maxExpires: 3600, defaultExpires: 3600 },
    rate: new SourceRate(opts.perMinute ?? 100, 60_000),
    now: () => clock.at,
    metrics: { outcome: (o) => events.push(o), refused: (r) => events.push(`refused ${r}`) },
    logger: pino({ level: 'silent' }),
  });
  const send = async (headers: Record<string, string>, source = '192.0.2.7') => {
    const answers: { status: number; headers: Readonly<Record<string, string>> }[] = [];
    const view: RegisterView = { ...invite('sip:edge.example', headers, source), sourcePort: '5062' };
    await registrar.onRegister(view, (status, h) => answers.push({ status, headers: h ?? {} }));
    expect(answers).toHaveLength(1);
    return answers[0] as { status: number; headers: Readonly<Record<string, string>> };
  };
  /** The phone's side: REGISTER, read the challenge, answer it with `password`. */
  const registerWith = async (password: string, headers: Record<string, string>, user = '1001', source = '192.0.2.7') => {
    const challenge = await send(headers, source);
    expect(challenge.status).toBe(401);
    const nonce = /nonce="([^"]+)"/.exec(challenge.headers['WWW-Authenticate'] ?? '')?.[1] ?? '';
    return send({ ...headers, Authorization: authorization(user, password, nonce) }, source);
  };
  return { registrar, store, events, clock, send, registerWith };
}

function authorization(user: string, password: string, nonce: string, uri = 'sip:edge.example'): string {
  const response = md5(`${md5(`${user}:${REALM}:${password}`)}:${nonce}:00000001:c0ffee:auth:${md5(`REGISTER:${uri}`)}`);
  return `Digest username="${user}", realm="${REALM}", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=MD5, qop=auth, nc=00000001, cnonce="c0ffee"`;
}

const PHONE = { To: '<sip:1001@edge.example>', From: '<sip:1001@edge.example>;tag=1', Contact: '<sip:1001@192.0.2.7:5062>', Expires: '120' };

describe('Registrar', () => {
  it('challenges, then binds the contact of a phone that answers with the right password; the 200 lists it', async () => {
    const h = harness();
    const ok = await h.registerWith(PASSWORD, PHONE);
    expect(ok).toEqual({ status: 200, headers: { Contact: '<sip:1001@192.0.2.7:5062>;expires=120' } });
    expect(await h.store.bindings('1001', T0)).toEqual([{ contact: 'sip:1001@192.0.2.7:5062', expiresAt: T0 + 120_000, source: '192.0.2.7:5062' }]);
    expect(h.events).toEqual(['challenged', 'registered']);
  });

  it('a wrong password or an unknown agent is 403, the same answer; nothing is bound', async () => {
    const h = harness();
    expect((await h.registerWith('wrong-password', PHONE)).status).toBe(403);
    expect((await h.registerWith('whatever', { ...PHONE, To: '<sip:9999@edge.example>' }, '9999')).status).toBe(403);
    expect(await h.store.bindings('1001', T0)).toEqual([]);
    expect(h.events.filter((e) => e.startsWith('refused'))).toEqual(['refused auth', 'refused auth']);
  });

  it('an agent cannot register another agent\'s address with its own password', async () => {
    const h = harness();
    expect((await h.registerWith(PASSWORD, { ...PHONE, To: '<sip:1002@edge.example>' })).status).toBe(403);
    expect(await h.store.bindings('1002', T0)).toEqual([]);
    expect(h.events).toContain('refused aor-mismatch');
  });

  it('a nonce answered from another address, or forged, gets a new challenge; an old one a stale challenge', async () => {
    const h = harness();
    const first = await h.send(PHONE);
    const nonce = /nonce="([^"]+)"/.exec(first.headers['WWW-Authenticate'] ?? '')?.[1] ?? '';
    const fromElsewhere = await h.send({ ...PHONE, Authorization: authorization('1001', PASSWORD, nonce) }, '198.51.100.9');
    expect(fromElsewhere.status).toBe(401);
    expect(fromElsewhere.headers['WWW-Authenticate']).not.toMatch(/stale/);
    expect((await h.send({ ...PHONE, Authorization: authorization('1001', PASSWORD, 'made-up') })).status).toBe(401);
    h.clock.at += NONCE_TTL_MS + 1;
    const stale = await h.send({ ...PHONE, Authorization: authorization('1001', PASSWORD, nonce) });
    expect(stale.status).toBe(401);
    expect(stale.headers['WWW-Authenticate']).toMatch(/stale=true/);
    expect(await h.store.bindings('1001', h.clock.at)).toEqual([]);
  });

  it('a credential for another realm is challenged again, not checked', async () => {
    const h = harness();
    const first = await h.send(PHONE);
    const nonce = /nonce="([^"]+)"/.exec(first.headers['WWW-Authenticate'] ?? '')?.[1] ?? '';
    const other = authorization('1001', PASSWORD, nonce).replace(`realm="${REALM}"`, 'realm="elsewhere"');
    expect((await h.send({ ...PHONE, Authorization: other })).status).toBe(401);
  });

  it('expires 0 unregisters one phone, Contact * every one; a query lists without changing', async () => {
    const h = harness();
    await h.registerWith(PASSWORD, PHONE);
    await h.registerWith(PASSWORD, { ...PHONE, Contact: '<sip:1001@192.0.2.8:5060>' });
    const listed = await h.registerWith(PASSWORD, { To: PHONE.To });
    expect(listed.headers.Contact).toBe('<sip:1001@192.0.2.7:5062>;expires=120, <sip:1001@192.0.2.8:5060>;expires=120');
    expect((await h.registerWith(PASSWORD, { ...PHONE, Contact: '<sip:1001@192.0.2.7:5062>;expires=0' })).headers.Contact).toBe('<sip:1001@192.0.2.8:5060>;expires=120');
    expect(await h.registerWith(PASSWORD, { To: PHONE.To, Contact: '*', Expires: '0' })).toEqual({ status: 200, headers: {} });
    expect(await h.store.bindings('1001', T0)).toEqual([]);
  });

  it('asks for at least the minimum expiry (423 Min-Expires) once the phone has authenticated', async () => {
    const h = harness();
    expect(await h.registerWith(PASSWORD, { ...PHONE, Expires: '20' })).toEqual({ status: 423, headers: { 'Min-Expires': '60' } });
  });

  it('a source past its REGISTERs per minute gets 403 with no challenge, until the next minute', async () => {
    const h = harness({ perMinute: 4 });
    for (let i = 0; i < 4; i++) expect((await h.send(PHONE)).status).toBe(401);
    const flooded = await h.send(PHONE);
    expect(flooded).toEqual({ status: 403, headers: {} });
    expect((await h.send(PHONE, '192.0.2.99')).status).toBe(401);
    h.clock.at += 60_000;
    expect((await h.send(PHONE)).status).toBe(401);
    expect(h.events.filter((e) => e === 'refused flood')).toHaveLength(1);
  });

  it('wrong passwords use a source\'s budget five times as fast', async () => {
    const h = harness({ perMinute: 10 });
    expect((await h.registerWith('wrong-1', PHONE)).status).toBe(403);
    expect((await h.registerWith('wrong-2', PHONE)).status).toBe(403);
    expect((await h.send(PHONE)).status).toBe(403);
    expect(h.events.at(-1)).toBe('refused flood');
  });

  it('scanners, malformed requests and an edge without secrets are refused before any challenge', async () => {
    expect(await harness().send({ ...PHONE, 'User-Agent': 'friendly-scanner' })).toEqual({ status: 403, headers: {} });
    expect((await harness().send({ Contact: PHONE.Contact })).status).toBe(400);
    expect((await harness({ secrets: false }).send(PHONE)).status).toBe(403);
  });

  it('a store that fails answers 503 with Retry-After, not a registration that did not happen', async () => {
    const broken: AgentRegistrations = {
      bind: () => Promise.reject(new Error('redis away')), unbind: () => Promise.reject(new Error('redis away')),
      unbindAll: () => Promise.reject(new Error('redis away')), bindings: () => Promise.reject(new Error('redis away')),
    };
    const h = harness({ store: broken });
    expect(await h.registerWith(PASSWORD, PHONE)).toEqual({ status: 503, headers: { 'Retry-After': '5' } });
  });
});

describe('AgentCalls', () => {
  const make = (store: AgentRegistrations) => {
    const results: string[] = [];
    const calls = new AgentCalls({ agents: new Set(['1001', '1002']), store, now: () => T0, metrics: { agentCall: (r) => results.push(r) }, logger: pino({ level: 'silent' }) });
    return { calls, results };
  };
  const ring = async (calls: AgentCalls, uri: string, status: number | undefined = 200) => {
    const responses: number[] = [];
    const proxied: string[][] = [];
    await calls.onNodeInvite(invite(uri, {}, '10.0.0.11'), (s) => responses.push(s), (contacts) => {
      proxied.push([...contacts]);
      return Promise.resolve({ finalStatus: status });
    });
    return { responses, proxied };
  };

  it('proxies a node\'s INVITE to every live phone of the agent at once', async () => {
    const store = new MemoryRegistrations();
    await store.bind('1001', { contact: 'sip:1001@192.0.2.7:5062', expiresAt: T0 + 60_000, source: '' }, T0);
    await store.bind('1001', { contact: 'sip:1001@192.0.2.8', expiresAt: T0 + 30_000, source: '' }, T0);
    await store.bind('1001', { contact: 'sip:1001@192.0.2.9', expiresAt: T0, source: '' }, T0 - 1000);
    const { calls, results } = make(store);
    expect(await ring(calls, 'sip:1001@edge.example:5060')).toEqual({ responses: [], proxied: [['sip:1001@192.0.2.8', 'sip:1001@192.0.2.7:5062']] });
    await ring(calls, 'sip:1001@edge.example', 486);
    expect(results).toEqual(['connected', 'failed']);
  });

  it('an unknown agent is 404, an agent with no phone registered 480, a failing store 503', async () => {
    const { calls, results } = make(new MemoryRegistrations());
    expect((await ring(calls, 'sip:9999@edge')).responses).toEqual([404]);
    expect((await ring(calls, 'sip:edge')).responses).toEqual([404]);
    expect((await ring(calls, 'sip:1002@edge')).responses).toEqual([480]);
    const broken = make({ ...new MemoryRegistrations(), bindings: () => Promise.reject(new Error('redis away')) } as unknown as AgentRegistrations);
    expect((await ring(broken.calls, 'sip:1001@edge')).responses).toEqual([503]);
    expect(results).toEqual(['unknown-agent', 'unknown-agent', 'not-registered']);
  });
});
