/**
 * The SIP edge in front of two real FreeSWITCH nodes and the real router (ESL_NODES=registry): a
 * real drachtio-server, `hotline edge`'s composition in this process, both nodes on the project's
 * conf and generated dialplan (the edge's address, 127.0.0.1, in their hotline-edge ACL list), one
 * registry for router and edge, sipp carriers and phones streaming audio. Every carrier INVITE
 * carries a forged `X-Hotline-Line: 12319`.
 *  - Through the edge, 12328 in Diversion and the 12345 DID in the Request-URI: the router records
 *    line 12328 (dual), dialed as the carrier wrote it — the edge's headers, not the carrier's.
 *  - Straight at node B from 127.0.0.2 (a carrier address, not the edge's), to 12345: the edge
 *    guard dropped the headers, so the router takes the Request-URI: line 12345, not 12319.
 *  - Agent 1001 (`dial: user/1001`; the registry's `edge:` names drachtio-server's address) has its
 *    phone registered at the edge. A call through the edge lands on node A and is answered by that
 *    phone (A rang it through the edge); node A SIGKILLed, the next call lands on node B with no
 *    failed call and the same phone answers it (B rang it through the edge).
 * Needs FreeSWITCH, sipp and drachtio-server; prints `skipped: …` otherwise.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pino } from 'pino';
import { parse, stringify } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseRegistry } from '../../src/config/load.js';
import type { Registry } from '../../src/config/schema.js';
import { startEdge, type RunningEdge } from '../../src/compose/edge.js';
import { edgeSettingsFromEnv } from '../../src/settings/edge-settings.js';
import { drachtioBin, startDrachtioServer, type DrachtioServer } from '../support/drachtio.js';
import { e2eRequirements } from '../support/freeswitch/detect.js';
import { startFreeswitch, type Freeswitch } from '../support/freeswitch/instance.js';
import { freePort } from '../support/freeswitch/ports.js';
import { waitFor } from '../support/freeswitch/processes.js';
import { prepareRouterMedia } from '../support/freeswitch/router-media.js';
import { startRouter, type RouterProcess } from '../support/freeswitch/router.js';
import { E2E_AGENTS, type E2eAgent } from '../support/freeswitch/stack.js';
import { startSipp, untilListening, type SippHandle } from '../support/sipp/sipp.js';
import { agentTo, recordOf } from './router-api.js';

const req = e2eRequirements('edge + FreeSWITCH e2e');
const drachtio = drachtioBin();
if (!req.skip && drachtio === undefined) console.log('edge + FreeSWITCH e2e: skipped: drachtio-server not installed (set DRACHTIO_BIN)');
const SECRET = 'edge-fs-e2e-secret';
const FORGED = '12319';
const AGENT_PASSWORD = 'phone-secret-1001';
const EDGE_ACL_EXAMPLE = '<node type="allow" cidr="192.0.2.50/32"/>';

/** The e2e registry, agent 1001 rung through the edge, a loopback trunk; nodes once they run. */
function registryText(template: string, edgeSip: string, nodes: Registry['nodes']): string {
  const r = parse(template) as Registry;
  r.hotline.areaCode = '571';
  r.agents = r.agents.map((a) => (a.id === '1001' ? { ...a, dial: 'user/1001' } : a));
  r.edge = { sip: edgeSip, profile: 'hotline-carrier' };
  r.trunks = [{ name: 'carrier', sources: ['127.0.0.1'], calledNumberFrom: ['diversion', 'request-uri'], stripPrefixes: [], maxCallsPerSecond: 50, maxConcurrentCalls: 50 }];
  if (nodes !== undefined) r.nodes = nodes;
  return stringify(r);
}

describe.skipIf(req.skip || drachtio === undefined)('the SIP edge in front of two real FreeSWITCH nodes and the router', () => {
  let work: string;
  let server: DrachtioServer | undefined;
  let a: Freeswitch | undefined;
  let b: Freeswitch | undefined;
  let router: RouterProcess | undefined;
  let edge: RunningEdge | undefined;
  const sipps: SippHandle[] = [];
  const r = (): RouterProcess => { if (router === undefined) throw new Error('router not started'); return router; };
  const sipPort = (): number => server?.sipPort ?? 0;
  const connectedOn = async (node: string): Promise<number> => {
    const text = await fetch(`http://127.0.0.1:${edge?.httpPort ?? 0}/metrics`, { headers: { authorization: `Bearer ${edge?.generatedAdminToken ?? ''}` } }).then((res) => res.text());
    return Number(new RegExp(`^hotline_edge_connected_total\\{trunk="carrier",node="${node}"\\} ([0-9]+)$`, 'm').exec(text)?.[1] ?? 0);
  };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'hotline-e2e-edge-fs-'));
    server = await startDrachtioServer(drachtio as string, work, SECRET);
    const edgeSip = `127.0.0.1:${server.sipPort}`;
    const agentPorts = Object.fromEntries(await Promise.all(E2E_AGENTS.map(async (id) => [id, await freePort()] as const))) as Record<E2eAgent, number>;
    const template = readFileSync(resolve('test/fixtures/e2e/registry.yaml'), 'utf8')
      .replace(/\{\{AGENT_([0-9]+)_PORT\}\}/g, (_m, id: string) => String(agentPorts[id as E2eAgent]))
      .replace(/\{\{SEAT_PORT\}\}/g, String(await freePort()));
    const registryPath = join(work, 'registry.yaml');
    writeFileSync(registryPath, registryText(template, edgeSip, undefined));
    const outboundPort = await freePort();
    const media = prepareRouterMedia(work, registryPath, outboundPort, 120_000);
    // The generated fallback rings 1001 through the edge too.
    expect(media.dialplanXml).toContain(`sofia/hotline-carrier/1001@${edgeSip}`);
    const password = `e2e-${randomBytes(12).toString('hex')}`;
    const start = async (name: string): Promise<Freeswitch> => {
      const fs = await startFreeswitch({ install: req.install!, work: join(work, name), dialplanXml: media.dialplanXml, mohDir: media.mohDir, password });
      // The edge (drachtio-server on 127.0.0.1) is this node's edge: only it may send X-Hotline-*.
      const acl = join(work, name, 'conf/autoload_configs/acl.conf.xml');
      const text = readFileSync(acl, 'utf8');
      if (!text.includes(EDGE_ACL_EXAMPLE)) throw new Error('acl.conf.xml: the hotline-edge example address is not there');
      writeFileSync(acl, text.replace(EDGE_ACL_EXAMPLE, '<node type="allow" cidr="127.0.0.1/32"/>'));
      expect(await fs.api('reloadacl')).toMatch(/\+OK/);
      return fs;
    };
    a = await start('fs-a');
    b = await start('fs-b');
    const nodes = [['fs-a', a], ['fs-b', b] as const].map(([name, fs]) => ({
      name: name as string, sip: `127.0.0.1:${(fs as Freeswitch).ports.carrierSip}`, esl: `127.0.0.1:${(fs as Freeswitch).ports.esl}`, maxSessions: 50,
    }));
    const text = registryText(template, edgeSip, nodes);
    writeFileSync(registryPath, text);
    router = await startRouter({ work, registryPath, promptsDir: media.promptsDir, outboundPort, esl: { port: await freePort(), password }, env: { ESL_NODES: 'registry' } });
    const loaded = parseRegistry(text, 'edge-fs-e2e.yaml');
    if (!loaded.ok) throw new Error(loaded.problems.map((p) => p.message).join('; '));
    const secretsFile = join(work, 'agent-secrets.yaml');
    writeFileSync(secretsFile, `nonceKey: ${'k'.repeat(40)}\nagents:\n  - { id: "1001", password: ${AGENT_PASSWORD} }\n`);
    edge = await startEdge(loaded.registry, edgeSettingsFromEnv({
      DRACHTIO_PORT: String(server.adminPort), DRACHTIO_SECRET: SECRET, EDGE_HTTP_PORT: '0', EDGE_KEEPALIVE_MS: '500', EDGE_DRAIN_SECONDS: '0',
      EDGE_AGENT_SECRETS_FILE: secretsFile, EDGE_SIP_REALM: 'hotline-e2e',
    }), pino({ level: process.env.EDGE_E2E_LOG ?? 'silent' }));
    const httpPort = edge.httpPort;
    await waitFor('the edge sees both nodes up', async () => {
      const health = await fetch(`http://127.0.0.1:${httpPort}/health`).then((res) => res.json() as Promise<{ nodes: { state: string }[] }>);
      return health.nodes.length === 2 && health.nodes.every((n) => n.state === 'up') ? true : undefined;
    }, 10_000, 100);
  }, 240_000);
  afterEach(async () => { await Promise.all(sipps.splice(0).map((h) => h.kill())); });
  afterAll(async () => {
    await edge?.stop();
    await router?.stop().catch(() => undefined);
    await Promise.all([a, b].filter((fs): fs is Freeswitch => fs !== undefined).map((fs) => fs.stop().catch(() => undefined)));
    await server?.stop();
    if (process.env.E2E_KEEP !== '1') rmSync(work, { recursive: true, force: true });
  }, 60_000);

  const carrier = async (opts: { port: number; number: string; diversion: string; hangUpAfterMs: number; localIp: string; label: string }): Promise<void> => {
    const caller = await startSipp(req.sipp!, {
      scenario: 'carrier-forges-line.xml', vars: { DIVERSION: opts.diversion, FORGED_LINE: FORGED, HANGUP_AFTER_MS: opts.hangUpAfterMs },
      dial: { number: opts.number, host: '127.0.0.1', port: opts.port }, localIp: opts.localIp, limitMs: 20_000, work, label: opts.label,
    });
    sipps.push(caller);
    const done = await caller.done;
    expect(done.code, `${done.log}\n${r().logTail()}`).toBe(0);
  };

  it('through the edge: the dual number in Diversion is the call\'s line, whatever X-Hotline-Line the carrier sent', async () => {
    const since = Date.now();
    await carrier({ port: sipPort(), number: '057112345', diversion: '+8657112328', hangUpAfterMs: 2_500, localIp: '127.0.0.1', label: 'via-edge' });
    const record = await recordOf(r(), '12328', since);
    expect(record).toMatchObject({ line: '12328', mode: 'dual', dialed: '+8657112328', outcome: 'abandoned' });
  }, 60_000);

  it('straight at node B from an address not the edge\'s: the forged headers are dropped, the Request-URI decides', async () => {
    const since = Date.now();
    await carrier({ port: b?.ports.carrierSip ?? 0, number: '12345', diversion: '+8657112328', hangUpAfterMs: 2_500, localIp: '127.0.0.2', label: 'forged' });
    const record = await recordOf(r(), '12345', since);
    expect(record).toMatchObject({ line: '12345', dialed: '12345', outcome: 'abandoned' });
    const { calls } = await r().get<{ calls: { line?: string; arrivedAt: number }[] }>('/api/calls/recent?limit=20');
    expect(calls.filter((c) => c.arrivedAt >= since).map((c) => c.line)).toEqual(['12345']);
  }, 60_000);

  /** Agent 1001's phone on `phonePort` (registered at the edge the first time) answers one carrier call through the edge. */
  async function answeredThroughEdge(label: string, phonePort: number, register: boolean): Promise<void> {
    const phone = await startSipp(req.sipp!, {
      scenario: 'edge-agent-phone.xml', vars: { OFFER: 'o=FreeSWITCH .*m=audio [1-9][0-9]* RTP/AVP', BYE_TIMEOUT_MS: 20_000 },
      port: phonePort, limitMs: 30_000, work, label: `phone-${label}`,
    });
    sipps.push(phone);
    await untilListening(phone, phonePort);
    if (register) {
      const registered = await startSipp(req.sipp!, {
        scenario: 'edge-agent-register.xml', dial: { number: '1001', host: '127.0.0.1', port: sipPort() }, limitMs: 20_000, work, label: `register-${label}`,
        vars: { AGENT: '1001', PASSWORD: AGENT_PASSWORD, PHONE_PORT: phonePort, FINAL: 200, CONTACT_CHECK: `sip:1001@127.0.0.1:${phonePort}>;expires=1[0-9][0-9]`, CHECK_CONTACT: 'true' },
      }).then((h) => h.done);
      expect(registered.code, registered.log).toBe(0);
    }
    await agentTo(r(), '1001', 'ready');
    const since = Date.now();
    const answered = phone.done;
    await carrier({ port: sipPort(), number: '057112345', diversion: '+8657112345', hangUpAfterMs: 4_000, localIp: '127.0.0.1', label: `caller-${label}` });
    const p = await answered;
    expect(p.code, `${p.log}\n${r().logTail()}`).toBe(0);
    const record = await recordOf(r(), '12345', since);
    expect(record).toMatchObject({ line: '12345', outcome: 'answered', agentId: '1001' });
  }

  it('an agent whose phone registered at the edge answers a call on node A, then, A killed, a call on node B', async () => {
    await agentTo(r(), '1002', 'logged-out');
    const agents = await r().get<{ agents: { id: string; dial: string }[] }>('/api/agents');
    expect(agents.agents.find((x) => x.id === '1001')?.dial).toBe(`sofia/hotline-carrier/1001@127.0.0.1:${sipPort()}`);

    const [onA, onB] = [await connectedOn('fs-a'), await connectedOn('fs-b')];
    const phonePort = await freePort();
    await answeredThroughEdge('on-a', phonePort, true);
    expect([await connectedOn('fs-a') - onA, await connectedOn('fs-b') - onB]).toEqual([1, 0]);

    await a?.process.kill();
    // The same phone (its registration still current) takes the next call.
    await answeredThroughEdge('on-b', phonePort, false);
    expect([await connectedOn('fs-a') - onA, await connectedOn('fs-b') - onB]).toEqual([1, 1]);
  }, 120_000);
});
