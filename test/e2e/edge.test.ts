/**
 * The SIP edge end to end: a real drachtio-server, `hotline edge`'s composition in this process,
 * sipp as the carrier (streaming audio) and sipp as two FreeSWITCH nodes that only take a call
 * naming its line in X-Hotline-Line. Needs drachtio-server (DRACHTIO_BIN, or `drachtio` on the
 * PATH) and sipp; prints `skipped: …` otherwise.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseRegistry } from '../../src/config/load.js';
import type { Registry } from '../../src/config/schema.js';
import { startEdge, type RunningEdge } from '../../src/compose/edge.js';
import { edgeSettingsFromEnv } from '../../src/settings/edge-settings.js';
import { sippBin } from '../support/freeswitch/detect.js';
import { freePort } from '../support/freeswitch/ports.js';
import { waitFor } from '../support/freeswitch/processes.js';
import { startSipp, untilListening, type SippHandle, type SippResult } from '../support/sipp/sipp.js';
import { minimalWith } from '../unit/config/registry-fixtures.js';
import { redisServerInstalled, startRedisServer } from '../support/redis-server.js';
import { drachtioBin, startDrachtioServer, type DrachtioServer } from '../support/drachtio.js';

const drachtio = drachtioBin();
const sipp = sippBin();
if (drachtio === undefined) console.log('edge e2e: skipped: drachtio-server not installed (set DRACHTIO_BIN)');
else if (sipp === undefined) console.log('edge e2e: skipped: sipp not installed (apt-get install sip-tester, or set SIPP_BIN)');
const skip = drachtio === undefined || sipp === undefined;

const SECRET = 'edge-e2e-secret';
const AGENT_PASSWORD = 'phone-secret-1001';
const CALL_LIMIT_MS = 20_000;
/** The sipp node's SDP offer, as the phone must receive it (the edge passes it through untouched). */
const NODE_OFFER = 'o=hotline-node .*m=audio [1-9][0-9]* RTP/AVP 0';

describe.skipIf(skip)('SIP edge (drachtio-server, sipp carrier and nodes)', () => {
  const work = mkdtempSync(join(tmpdir(), 'hotline-edge-e2e-'));
  let server: DrachtioServer | undefined;
  let edge: RunningEdge | undefined;
  let sipPort = 0;
  const nodePorts = { a: 0, b: 0 };
  const nodes: SippHandle[] = [];

  const startNode = async (name: 'a' | 'b', line: string, scenario = 'edge-node-answers-line.xml'): Promise<SippHandle> => {
    const handle = await startSipp(sipp as string, {
      scenario, vars: { LINE: line }, port: nodePorts[name], calls: 'scenario', limitMs: CALL_LIMIT_MS, work, label: `node-${name}`,
    });
    await untilListening(handle, nodePorts[name]);
    nodes.push(handle);
    return handle;
  };
  /** The edge probes nodes with OPTIONS; a call placed before it saw a node answer would find none. */
  const untilEdgeSees = (states: Readonly<Record<string, 'up' | 'down'>>): Promise<true> => waitFor(`edge sees ${JSON.stringify(states)}`, async () => {
    if (edge === undefined) return undefined;
    const health = await fetch(`http://127.0.0.1:${edge.httpPort}/health`).then((r) => r.json() as Promise<{ nodes: { name: string; state: string; draining: boolean }[] }>);
    const seen = (name: string, state: string): boolean => health.nodes.some((v) => v.name === name && v.state === state && !v.draining);
    return Object.entries(states).every(([name, state]) => seen(name, state)) ? true : undefined;
  }, 5_000, 50);
  const carrier = (scenario: string, number: string, vars: Record<string, string>, label: string): Promise<SippResult> =>
    startSipp(sipp as string, { scenario, vars, dial: { number, host: '127.0.0.1', port: sipPort }, limitMs: CALL_LIMIT_MS, work, label }).then((h) => h.done);
  const refused = (number: string, status: number, label: string, extra: Record<string, string> = {}) => carrier('edge-carrier-refused.xml', number, {
    STATUS: String(status), RETRY_AFTER: '.*', CHECK_RETRY: 'false', USER_AGENT: 'carrier-sbc', ...extra,
  }, label);

  const registry = (cps: number): Registry => {
    const result = parseRegistry(minimalWith((r) => {
      r.hotline.areaCode = '571';
      r.trunks = [{
        name: 'local-carrier', sources: ['127.0.0.1'], calledNumberFrom: ['diversion', 'request-uri'], stripPrefixes: [],
        maxCallsPerSecond: cps, maxConcurrentCalls: 50,
      }];
      r.agents.push({ id: '1002', name: '李娜', dial: 'user/1002', skills: { general: 5 }, queues: ['general'] });
      r.nodes = [
        { name: 'fs-a', sip: `127.0.0.1:${nodePorts.a}`, esl: '127.0.0.1:8021', maxSessions: 100 },
        { name: 'fs-b', sip: `127.0.0.1:${nodePorts.b}`, esl: '127.0.0.1:8022', maxSessions: 100 },
      ];
    }), 'edge-e2e.yaml');
    if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('; '));
    return result.registry;
  };

  const startEdgeWith = async (cps: number, env: Record<string, string> = {}): Promise<void> => {
    await edge?.stop();
    const settings = edgeSettingsFromEnv({
      ...env,
      DRACHTIO_PORT: String(adminPort), DRACHTIO_SECRET: SECRET, EDGE_HTTP_PORT: '0', EDGE_INVITE_TIMEOUT_MS: '1000',
      EDGE_KEEPALIVE_MS: '500', EDGE_DRAIN_SECONDS: '0', EDGE_AGENT_SECRETS_FILE: secretsFile, EDGE_SIP_REALM: 'hotline-e2e',
    });
    edge = await startEdge(registry(cps), settings, pino({ level: process.env.EDGE_E2E_LOG ?? 'silent' }));
  };

  let adminPort = 0;
  const secretsFile = join(work, 'agent-secrets.yaml');
  const metricsText = (): Promise<string> => fetch(`http://127.0.0.1:${edge?.httpPort ?? 0}/metrics`, {
    headers: { authorization: `Bearer ${edge?.generatedAdminToken ?? ''}` },
  }).then((r) => r.text());
  beforeAll(async () => {
    writeFileSync(secretsFile, `nonceKey: ${'k'.repeat(40)}\nagents:\n  - { id: "1001", password: ${AGENT_PASSWORD} }\n  - { id: "1002", password: other-secret-1002 }\n`);
    nodePorts.a = await freePort();
    nodePorts.b = await freePort();
    server = await startDrachtioServer(drachtio as string, work, SECRET);
    sipPort = server.sipPort;
    adminPort = server.adminPort;
    await startEdgeWith(100);
  }, 60_000);

  // A node left over from a failed test would hold its port and take the next test's call.
  afterEach(async () => {
    for (const n of nodes.splice(0)) if (n.running) await n.kill();
  }, 30_000);

  afterAll(async () => {
    await edge?.stop();
    for (const n of nodes) await n.kill();
    await server?.stop();
  }, 30_000);

  it('a carrier call to the dual legacy number 12328 (in Diversion, 12345 DID dialed) arrives at a node as line 12328, audio both ways', async () => {
    const a = await startNode('a', '12328');
    const b = await startNode('b', '12328');
    await untilEdgeSees({ 'fs-a': 'up', 'fs-b': 'up' });
    const result = await carrier('edge-carrier-diverted-call.xml', '057112345', { DIVERSION: '+8657112328', NODE_MEDIA: `${a.mediaPort}|${b.mediaPort}` }, 'carrier-12328');
    expect(result.code, result.log).toBe(0);
    // Exactly one node took it; the other still waits for its call. The carrier's sipp ends on the
    // 200 to the node's BYE, the node's a moment later (when that 200 reaches it): wait for it.
    const took = await Promise.race([a.done, b.done]);
    expect(took.code, took.log).toBe(0);
    const finished = [a, b].filter((n) => !n.running);
    expect(finished).toHaveLength(1);
    for (const n of [a, b]) if (n.running) await n.kill();
  }, 60_000);

  it('node A stopped: the next call goes to node B and does not fail', async () => {
    // Only B listens; A's port is closed, so A's keep-alives go unanswered and the edge marks it down
    // (not up and draining: the 503 drachtio-server makes up for an unreachable port is not A's).
    const b = await startNode('b', '12345');
    await untilEdgeSees({ 'fs-a': 'down', 'fs-b': 'up' });
    const result = await carrier('edge-carrier-diverted-call.xml', '12345', { DIVERSION: '12345', NODE_MEDIA: String(b.mediaPort) }, 'carrier-failover');
    expect(result.code, result.log).toBe(0);
    const node = await b.done;
    expect(node.code, node.log).toBe(0);
  }, 60_000);

  it('node A hangs on the INVITE (not even 100 Trying): after the INVITE timeout node B takes the call', async () => {
    // Without giving up on A at the timeout the edge would wait out timer B (32 s), past the
    // carrier's own limit (20 s), and the call would fail.
    const a = await startNode('a', '12345', 'edge-node-hangs-on-invite.xml');
    const b = await startNode('b', '12345');
    await untilEdgeSees({ 'fs-a': 'up', 'fs-b': 'up' });
    const result = await carrier('edge-carrier-diverted-call.xml', '12345', { DIVERSION: '12345', NODE_MEDIA: String(b.mediaPort) }, 'carrier-hung-node');
    expect(result.code, result.log).toBe(0);
    const node = await b.done;
    expect(node.code, node.log).toBe(0);
    // A was really tried first, and given up on for its silence (no status), not skipped.
    const metrics = await metricsText();
    expect(metrics).toMatch(/^hotline_edge_failovers_total\{node="fs-a",status="timeout"\} 1$/m);
    expect(a.running).toBe(true);
  }, 60_000);

  it('the only node left hangs on the INVITE: the edge waits EDGE_LAST_NODE_TIMEOUT_MS for it, not the INVITE timeout, then 503', async () => {
    await startEdgeWith(100, { EDGE_LAST_NODE_TIMEOUT_MS: '3000' });
    try {
      const a = await startNode('a', '12345', 'edge-node-hangs-on-invite.xml');
      // fs-b is not running: its keep-alives go unanswered and it is down, so fs-a is the last node.
      await untilEdgeSees({ 'fs-a': 'up', 'fs-b': 'down' });
      const started = Date.now();
      const refusal = await refused('12345', 503, 'last-node-hung', { RETRY_AFTER: '^ *[0-9]+$', CHECK_RETRY: 'true' });
      const waited = Date.now() - started;
      expect(refusal.code, refusal.log).toBe(0);
      // Not the 1 s INVITE timeout (the caller would have been refused a node that might answer),
      // and not unbounded (the carrier's scenario gives up after 10 s).
      expect(waited).toBeGreaterThanOrEqual(3_000);
      expect(await metricsText()).toMatch(/^hotline_edge_failovers_total\{node="fs-a",status="timeout"\} 1$/m);
      expect(a.running).toBe(true);
    } finally {
      await startEdgeWith(100);
    }
  }, 60_000);

  const register = (agent: string, password: string, phonePort: number, final: number, label: string): Promise<SippResult> =>
    startSipp(sipp as string, {
      scenario: 'edge-agent-register.xml', dial: { number: agent, host: '127.0.0.1', port: sipPort }, limitMs: CALL_LIMIT_MS, work, label,
      vars: { AGENT: agent, PASSWORD: password, PHONE_PORT: phonePort, FINAL: final, CONTACT_CHECK: `sip:${agent}@127.0.0.1:${phonePort}>;expires=1[0-9][0-9]`, CHECK_CONTACT: final === 200 ? 'true' : 'false' },
    }).then((h) => h.done);

  it('an agent\'s phone registers with digest, and a node\'s INVITE to the agent reaches it through the edge, audio SDP both ways', async () => {
    const phonePort = await freePort();
    const phone = await startSipp(sipp as string, { scenario: 'edge-agent-phone.xml', vars: { OFFER: NODE_OFFER }, port: phonePort, limitMs: CALL_LIMIT_MS, work, label: 'phone-1001' });
    nodes.push(phone);
    await untilListening(phone, phonePort);
    const registered = await register('1001', AGENT_PASSWORD, phonePort, 200, 'register-1001');
    expect(registered.code, registered.log).toBe(0);
    // Sent from node fs-a's own SIP port, as its sofia profile would.
    const node = await startSipp(sipp as string, {
      scenario: 'edge-node-rings-agent.xml', dial: { number: '1001', host: '127.0.0.1', port: sipPort }, port: nodePorts.a,
      vars: { PHONE_MEDIA: phone.mediaPort }, limitMs: CALL_LIMIT_MS, work, label: 'node-rings-1001',
    }).then((h) => h.done);
    expect(node.code, node.log).toBe(0);
    const answered = await phone.done;
    expect(answered.code, answered.log).toBe(0);
    const metrics = await metricsText();
    expect(metrics).toMatch(/^hotline_edge_register_total\{outcome="registered"\} 1$/m);
    expect(metrics).toMatch(/^hotline_edge_agent_calls_total\{result="connected"\} 1$/m);
  }, 60_000);

  it('a wrong password is refused (403) and counted; a node ringing an agent with no phone registered gets 480', async () => {
    const wrong = await register('1002', 'not-the-password', 5999, 403, 'register-wrong');
    expect(wrong.code, wrong.log).toBe(0);
    const node = await startSipp(sipp as string, {
      scenario: 'edge-carrier-refused.xml', dial: { number: '1002', host: '127.0.0.1', port: sipPort }, port: nodePorts.a, limitMs: CALL_LIMIT_MS, work,
      label: 'node-rings-1002', vars: { STATUS: 480, RETRY_AFTER: '.*', CHECK_RETRY: 'false', USER_AGENT: 'FreeSWITCH' },
    }).then((h) => h.done);
    expect(node.code, node.log).toBe(0);
    const metrics = await metricsText();
    expect(metrics).toMatch(/^hotline_edge_register_refused_total\{reason="auth"\} 1$/m);
    expect(metrics).toMatch(/^hotline_edge_agent_calls_total\{result="not-registered"\} 1$/m);
    // /metrics itself wants a token, like the router's.
    expect((await fetch(`http://127.0.0.1:${edge?.httpPort ?? 0}/metrics`)).status).toBe(401);
  }, 60_000);

  it.skipIf(!redisServerInstalled())('two edges on one drachtio-server share registrations in Redis and each other\'s nonces', async () => {
    await edge?.stop();
    edge = undefined;
    const redis = await startRedisServer();
    const pair: RunningEdge[] = [];
    try {
      const settings = edgeSettingsFromEnv({
        DRACHTIO_PORT: String(adminPort), DRACHTIO_SECRET: SECRET, EDGE_HTTP_PORT: '0', EDGE_KEEPALIVE_MS: '500', EDGE_DRAIN_SECONDS: '0',
        EDGE_AGENT_SECRETS_FILE: secretsFile, EDGE_SIP_REALM: 'hotline-e2e', REDIS_URL: redis.url,
      });
      for (let i = 0; i < 2; i++) pair.push(await startEdge(registry(100), settings, pino({ level: process.env.EDGE_E2E_LOG ?? 'silent' })));
      const counts = async (pattern: RegExp): Promise<number[]> => Promise.all(pair.map(async (e) => {
        const text = await fetch(`http://127.0.0.1:${e.httpPort}/metrics`, { headers: { authorization: `Bearer ${e.generatedAdminToken ?? ''}` } }).then((r) => r.text());
        return Number(pattern.exec(text)?.[1] ?? 0);
      }));
      const phonePort = await freePort();
      const phone = await startSipp(sipp as string, { scenario: 'edge-agent-phone.xml', vars: { OFFER: NODE_OFFER }, port: phonePort, limitMs: CALL_LIMIT_MS, work, label: 'phone-1001-redis' });
      nodes.push(phone);
      await untilListening(phone, phonePort);
      // Register until the challenge and its answer went to different edges (drachtio-server hands
      // each new request to one of its applications): the answer then checks a nonce the other edge made.
      let crossed = false;
      for (let attempt = 0; attempt < 6 && !crossed; attempt++) {
        const before = await counts(/^hotline_edge_register_total\{outcome="challenged"\} ([0-9]+)$/m);
        const registered = await register('1001', AGENT_PASSWORD, phonePort, 200, `register-redis-${attempt}`);
        expect(registered.code, registered.log).toBe(0);
        const after = await counts(/^hotline_edge_register_total\{outcome="challenged"\} ([0-9]+)$/m);
        const done = await counts(/^hotline_edge_register_total\{outcome="registered"\} ([0-9]+)$/m);
        const challengedBy = after.findIndex((c, i) => c > (before[i] ?? 0));
        crossed = challengedBy >= 0 && (done[1 - challengedBy] ?? 0) > 0;
      }
      expect(crossed).toBe(true);
      // Whichever edge takes the node's INVITE finds the phone in Redis.
      const node = await startSipp(sipp as string, {
        scenario: 'edge-node-rings-agent.xml', dial: { number: '1001', host: '127.0.0.1', port: sipPort }, port: nodePorts.a,
        vars: { PHONE_MEDIA: phone.mediaPort }, limitMs: CALL_LIMIT_MS, work, label: 'node-rings-1001-redis',
      }).then((h) => h.done);
      expect(node.code, node.log).toBe(0);
      expect((await phone.done).code).toBe(0);
    } finally {
      for (const e of pair) await e.stop();
      await redis.stop();
      await startEdgeWith(100);
    }
  }, 90_000);

  const request = (method: string, status: number, userAgent: string, label: string, challenge = '.*'): Promise<SippResult> =>
    startSipp(sipp as string, {
      scenario: 'edge-request-refused.xml', dial: { number: '1001', host: '127.0.0.1', port: sipPort }, limitMs: CALL_LIMIT_MS, work, label,
      vars: { METHOD: method, STATUS: status, USER_AGENT: userAgent, CHALLENGE: challenge, CHECK_CHALLENGE: challenge === '.*' ? 'false' : 'true' },
    }).then((h) => h.done);

  it('a REGISTER flood from one address gets 403 with no challenge past its rate; a scanner\'s OPTIONS gets 403; both counted', async () => {
    await startEdgeWith(100, { EDGE_REGISTERS_PER_MINUTE: '3' });
    try {
      for (let i = 0; i < 3; i++) {
        const challenged = await request('REGISTER', 401, 'hotline-e2e-phone', `flood-${i}`, '^ *Digest realm=.hotline-e2e., nonce=');
        expect(challenged.code, challenged.log).toBe(0);
      }
      const flooded = await request('REGISTER', 403, 'hotline-e2e-phone', 'flood-over');
      expect(flooded.code, flooded.log).toBe(0);
      const scanner = await request('OPTIONS', 403, 'friendly-scanner', 'scanner-options');
      expect(scanner.code, scanner.log).toBe(0);
      const carrierProbe = await request('OPTIONS', 200, 'carrier-sbc', 'carrier-options');
      expect(carrierProbe.code, carrierProbe.log).toBe(0);
      const metrics = await metricsText();
      expect(metrics).toMatch(/^hotline_edge_register_refused_total\{reason="flood"\} 1$/m);
      expect(metrics).toMatch(/^hotline_edge_register_total\{outcome="challenged"\} 3$/m);
      expect(metrics).toMatch(/^hotline_edge_scanner_requests_total\{method="OPTIONS"\} 1$/m);
    } finally {
      await startEdgeWith(100);
    }
  }, 60_000);

  it('refuses an unknown number (404) and an emergency number (403) without reaching a node', async () => {
    const unknown = await refused('88001234', 404, 'carrier-unknown');
    expect(unknown.code, unknown.log).toBe(0);
    const emergency = await refused('0571110', 403, 'carrier-emergency');
    expect(emergency.code, emergency.log).toBe(0);
  }, 60_000);

  it('refuses a scanner INVITE', async () => {
    const scanner = await refused('12345', 403, 'scanner', { USER_AGENT: 'friendly-scanner' });
    expect(scanner.code, scanner.log).toBe(0);
  }, 60_000);

  it('answers 503 with Retry-After to a trunk over its CPS cap', async () => {
    await startEdgeWith(1);
    const a = await startNode('a', '12345');
    const b = await startNode('b', '12345');
    await untilEdgeSees({ 'fs-a': 'up', 'fs-b': 'up' });
    const first = carrier('edge-carrier-diverted-call.xml', '12345', { DIVERSION: '12345', NODE_MEDIA: `${a.mediaPort}|${b.mediaPort}` }, 'cps-first');
    await new Promise((r) => setTimeout(r, 100));
    const second = await refused('12345', 503, 'cps-second', { RETRY_AFTER: '^ *[0-9]+$', CHECK_RETRY: 'true' });
    expect(second.code, second.log).toBe(0);
    expect((await first).code).toBe(0);
  }, 60_000);
});
