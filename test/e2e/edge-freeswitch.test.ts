/**
 * The SIP edge in front of a real FreeSWITCH and the real router: a legacy number arrives as
 * itself, and only the edge may name a call's line. A real drachtio-server, `hotline edge`'s
 * composition in this process, FreeSWITCH with the project's conf and generated dialplan (the
 * edge's address, 127.0.0.1, in its hotline-edge ACL list), the router, and sipp carriers
 * streaming audio. Every INVITE carries a forged `X-Hotline-Line: 12319`:
 *  - through the edge, 12328 in Diversion and the 12345 DID in the Request-URI: the router's
 *    record says line 12328 (dual), dialed as the carrier wrote it — the edge's headers, not the
 *    carrier's;
 *  - straight at FreeSWITCH from 127.0.0.2 (a carrier address, not the edge's), to 12345: the
 *    edge guard dropped the headers, so the router takes the Request-URI: line 12345, not 12319.
 * Needs FreeSWITCH, sipp and drachtio-server; prints `skipped: …` otherwise.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { parse, stringify } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseRegistry } from '../../src/config/load.js';
import type { Registry } from '../../src/config/schema.js';
import { startEdge, type RunningEdge } from '../../src/compose/edge.js';
import { edgeSettingsFromEnv } from '../../src/settings/edge-settings.js';
import { drachtioBin, startDrachtioServer, type DrachtioServer } from '../support/drachtio.js';
import { e2eRequirements } from '../support/freeswitch/detect.js';
import { waitFor } from '../support/freeswitch/processes.js';
import { startStack, type Stack } from '../support/freeswitch/stack.js';
import { startSipp, type SippHandle } from '../support/sipp/sipp.js';
import { recordOf } from './router-api.js';

const req = e2eRequirements('edge + FreeSWITCH e2e');
const drachtio = drachtioBin();
if (!req.skip && drachtio === undefined) console.log('edge + FreeSWITCH e2e: skipped: drachtio-server not installed (set DRACHTIO_BIN)');
const SECRET = 'edge-fs-e2e-secret';
const FORGED = '12319';

/** The router's registry plus what the edge needs: a trunk for loopback, this FreeSWITCH as its node. */
function edgeRegistry(stack: Stack): Registry {
  const r = parse(readFileSync(stack.registryPath, 'utf8')) as Registry & { hotline: { areaCode?: string } };
  r.hotline.areaCode = '571';
  r.trunks = [{ name: 'carrier', sources: ['127.0.0.1'], calledNumberFrom: ['diversion', 'request-uri'], stripPrefixes: [], maxCallsPerSecond: 50, maxConcurrentCalls: 50 }];
  r.nodes = [{ name: 'fs-a', sip: `127.0.0.1:${stack.fs.ports.carrierSip}`, esl: `127.0.0.1:${stack.fs.ports.esl}`, maxSessions: 50 }];
  const loaded = parseRegistry(stringify(r), 'edge-fs-e2e.yaml');
  if (!loaded.ok) throw new Error(loaded.problems.map((p) => p.message).join('; '));
  return loaded.registry;
}

describe.skipIf(req.skip || drachtio === undefined)('the SIP edge in front of a real FreeSWITCH and the router', () => {
  let stack: Stack | undefined;
  let server: DrachtioServer | undefined;
  let edge: RunningEdge | undefined;
  const callers: SippHandle[] = [];
  const s = (): Stack => {
    if (stack === undefined) throw new Error('stack not started');
    return stack;
  };

  beforeAll(async () => {
    stack = await startStack(req.install!);
    // The edge (drachtio-server on 127.0.0.1) is this node's edge: only it may send X-Hotline-*.
    const acl = join(stack.work, 'conf/autoload_configs/acl.conf.xml');
    const text = readFileSync(acl, 'utf8');
    const edgeOnly = text.replace('<node type="allow" cidr="192.0.2.50/32"/>', '<node type="allow" cidr="127.0.0.1/32"/>');
    if (edgeOnly === text) throw new Error('acl.conf.xml: the hotline-edge example address is not there');
    writeFileSync(acl, edgeOnly);
    expect(await stack.fs.api('reloadacl')).toMatch(/\+OK/);
    server = await startDrachtioServer(drachtio as string, stack.work, SECRET);
    edge = await startEdge(edgeRegistry(stack), edgeSettingsFromEnv({
      DRACHTIO_PORT: String(server.adminPort), DRACHTIO_SECRET: SECRET, EDGE_HTTP_PORT: '0', EDGE_KEEPALIVE_MS: '500', EDGE_DRAIN_SECONDS: '0',
    }), pino({ level: process.env.EDGE_E2E_LOG ?? 'silent' }));
    const httpPort = edge.httpPort;
    await waitFor('the edge sees FreeSWITCH up', async () => {
      const health = await fetch(`http://127.0.0.1:${httpPort}/health`).then((r) => r.json() as Promise<{ nodes: { state: string }[] }>);
      return health.nodes[0]?.state === 'up' ? true : undefined;
    }, 10_000, 100);
  }, 90_000);
  afterEach(async () => { for (const c of callers.splice(0)) if (c.running) await c.kill(); });
  afterAll(async () => {
    await edge?.stop();
    await server?.stop();
    await stack?.stop();
  }, 30_000);

  const carrier = async (opts: { to: 'edge' | 'freeswitch'; number: string; localIp: string; label: string }): Promise<void> => {
    const port = opts.to === 'edge' ? (server?.sipPort ?? 0) : s().fs.ports.carrierSip;
    const caller = await startSipp(req.sipp!, {
      scenario: 'carrier-forges-line.xml', vars: { DIVERSION: '+8657112328', FORGED_LINE: FORGED, HANGUP_AFTER_MS: 2_500 },
      dial: { number: opts.number, host: '127.0.0.1', port }, localIp: opts.localIp, limitMs: 20_000, work: s().work, label: opts.label,
    });
    callers.push(caller);
    const done = await caller.done;
    expect(done.code, `${done.log}\n${s().router.logTail()}`).toBe(0);
  };

  it('through the edge: the dual number in Diversion is the call\'s line, whatever X-Hotline-Line the carrier sent', async () => {
    const since = Date.now();
    await carrier({ to: 'edge', number: '057112345', localIp: '127.0.0.1', label: 'via-edge' });
    const record = await recordOf(s().router, '12328', since);
    expect(record).toMatchObject({ line: '12328', mode: 'dual', dialed: '+8657112328', outcome: 'abandoned' });
  }, 60_000);

  it('straight at FreeSWITCH from an address not the edge\'s: the forged headers are dropped, the Request-URI decides', async () => {
    const since = Date.now();
    await carrier({ to: 'freeswitch', number: '12345', localIp: '127.0.0.2', label: 'forged' });
    const record = await recordOf(s().router, '12345', since);
    expect(record).toMatchObject({ line: '12345', dialed: '12345', outcome: 'abandoned' });
    const { calls } = await s().router.get<{ calls: { line?: string; arrivedAt: number }[] }>('/api/calls/recent?limit=20');
    expect(calls.filter((c) => c.arrivedAt >= since).map((c) => c.line)).toEqual(['12345']);
  }, 60_000);
});
