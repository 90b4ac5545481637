/**
 * The router on two real FreeSWITCH nodes (ESL_NODES=registry): two FreeSWITCH processes on one
 * host — one switchname, two Core-UUIDs — both running the router's dialplan. A sipp caller dials
 * 12345 on node B, agent 1001 (a sipp UAS) answers, and the transfer API consults the sub-center
 * 12366: the conference is made on B (its members listed there), node A has none. Node A killed:
 * the router stays up (health degraded, A's link down), and a call on B still transfers.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { e2eRequirements } from '../support/freeswitch/detect.js';
import { startFreeswitch, type Freeswitch } from '../support/freeswitch/instance.js';
import { freePort } from '../support/freeswitch/ports.js';
import { waitFor } from '../support/freeswitch/processes.js';
import { prepareRouterMedia } from '../support/freeswitch/router-media.js';
import { startRouter, type RouterProcess } from '../support/freeswitch/router.js';
import { E2E_AGENTS, type E2eAgent } from '../support/freeswitch/stack.js';
import { startSipp, untilListening, type SippHandle } from '../support/sipp/sipp.js';
import { agentTo } from './router-api.js';

const req = e2eRequirements('e2e two FreeSWITCH nodes');

interface Health { components: Record<string, { state: string; detail?: string }> }

describe.skipIf(req.skip)('the router acting on the FreeSWITCH node that holds each call', () => {
  let work: string;
  let a: Freeswitch | undefined;
  let b: Freeswitch | undefined;
  let router: RouterProcess | undefined;
  let agentPorts: Record<E2eAgent, number>;
  let seatPort: number;
  const sipps: SippHandle[] = [];
  const node = (n: Freeswitch | undefined): Freeswitch => { if (n === undefined) throw new Error('node not started'); return n; };
  const r = (): RouterProcess => { if (router === undefined) throw new Error('router not started'); return router; };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'hotline-e2e-nodes-'));
    agentPorts = Object.fromEntries(await Promise.all(E2E_AGENTS.map(async (id) => [id, await freePort()] as const))) as Record<E2eAgent, number>;
    seatPort = await freePort();
    const registryPath = join(work, 'registry.yaml');
    const registry = readFileSync(resolve('test/fixtures/e2e/registry.yaml'), 'utf8')
      .replace(/\{\{AGENT_([0-9]+)_PORT\}\}/g, (_m, id: string) => String(agentPorts[id as E2eAgent]))
      .replace(/\{\{SEAT_PORT\}\}/g, String(seatPort));
    writeFileSync(registryPath, registry);
    const outboundPort = await freePort();
    const media = prepareRouterMedia(work, registryPath, outboundPort, 120_000);
    // One password for both: the router gives every node ESL_PASSWORD.
    const password = `e2e-${randomBytes(12).toString('hex')}`;
    const start = (name: string) => startFreeswitch({ install: req.install!, work: join(work, name), dialplanXml: media.dialplanXml, mohDir: media.mohDir, events: ['CHANNEL_BRIDGE'], password });
    a = await start('fs-a');
    b = await start('fs-b');
    expect((await a.api('switchname')).trim()).toBe((await b.api('switchname')).trim());
    writeFileSync(registryPath, `${registry}\nnodes:\n${[['fs-a', a], ['fs-b', b] as const].map(([name, fs]) =>
      `  - { name: ${name as string}, sip: "127.0.0.1:${(fs as Freeswitch).ports.carrierSip}", esl: "127.0.0.1:${(fs as Freeswitch).ports.esl}", maxSessions: 100 }`).join('\n')}\n`);
    router = await startRouter({
      work, registryPath, promptsDir: media.promptsDir, outboundPort,
      // ESL_PORT names no FreeSWITCH: with ESL_NODES=registry the router must not use it.
      esl: { port: await freePort(), password }, env: { ESL_NODES: 'registry' },
    });
  }, 240_000);
  afterEach(async () => {
    await Promise.all(sipps.splice(0).map((h) => h.kill()));
    for (const fs of [a, b]) await fs?.api('hupall MANAGER_REQUEST').catch(() => undefined);
  });
  afterAll(async () => {
    await router?.stop().catch(() => undefined);
    await Promise.all([a, b].filter((fs): fs is Freeswitch => fs !== undefined).map((fs) => fs.stop().catch(() => undefined)));
    if (process.env.E2E_KEEP !== '1') rmSync(work, { recursive: true, force: true });
  }, 60_000);

  /** A caller on `fs` talking to agent 1001, and the seat of 12366 waiting: the call's sid and caller's leg. */
  async function callOn(fs: Freeswitch): Promise<{ callSid: string; callerUuid: string }> {
    await agentTo(r(), '1001', 'ready');
    const seen = fs.events.length;
    const agent = await startSipp(req.sipp!, { scenario: 'agent-waits-for-bye.xml', vars: { BYE_TIMEOUT_MS: 40_000 }, port: agentPorts['1001'], limitMs: 45_000, work, label: 'agent1001' });
    sipps.push(agent);
    await untilListening(agent, agentPorts['1001']);
    const seat = await startSipp(req.sipp!, { scenario: 'agent-waits-for-bye.xml', vars: { BYE_TIMEOUT_MS: 40_000 }, port: seatPort, limitMs: 45_000, work, label: 'seat' });
    sipps.push(seat);
    await untilListening(seat, seatPort);
    sipps.push(await startSipp(req.sipp!, {
      scenario: 'caller-waits-for-bye.xml', vars: { BYE_TIMEOUT_MS: 40_000 }, dial: { number: '12345', host: '127.0.0.1', port: fs.ports.carrierSip },
      limitMs: 45_000, work, label: 'caller12345',
    }));
    const bridge = await waitFor('caller bridged to agent 1001', () => fs.events.slice(seen).find((e) => e.name === 'CHANNEL_BRIDGE'), 20_000);
    const callSid = await waitFor('agent 1001 on the call', async () => {
      const s = await r().get<{ status: string; callId?: string }>('/api/agents/1001');
      return s.status === 'on-call' ? s.callId : undefined;
    }, 5_000);
    return { callSid, callerUuid: bridge.headers['Unique-ID'] ?? '' };
  }

  const members = async (fs: Freeswitch, callSid: string): Promise<string> => (await fs.api(`conference hotline-${callSid} list`).catch((err: unknown) => String(err)));

  async function consultOn(fs: Freeswitch, callSid: string, callerUuid: string): Promise<void> {
    const path = `/api/calls/${callSid}/transfer`;
    const started = await r().postJson<{ phase: string }>(path, { target: '12366' });
    expect(started.status, `${JSON.stringify(started.body)}\n${r().logTail()}`).toBe(200);
    await waitFor('seat answered', async () => ((await r().get<{ current?: { answeredAt?: number } }>(path)).current?.answeredAt !== undefined ? true : undefined), 15_000);
    const list = await waitFor('three in the conference', async () => { const l = await members(fs, callSid); return l.split('\n').filter((x) => x.includes(';')).length === 3 ? l : undefined; }, 5_000);
    expect(list).toContain(callerUuid);
  }

  it('a call on node B is transferred on B; A has no conference for it', async () => {
    const { callSid, callerUuid } = await callOn(node(b));
    await consultOn(node(b), callSid, callerUuid);
    expect(await members(node(a), callSid)).toMatch(/not found/i);
  }, 90_000);

  it('node A killed: the router stays up with A\'s link down, and a call on B still transfers', async () => {
    await node(a).process.kill();
    const health = await waitFor('A reported down', async () => {
      const h = await fetch(`${r().baseUrl}/health`).then(async (res) => ({ status: res.status, body: await res.json() as Health }));
      return h.body.components['freeswitch:fs-a']?.state === 'degraded' ? h : undefined;
    }, 15_000);
    expect(health.status).toBe(200);
    expect(health.body.components.freeswitch?.state).toBe('degraded');
    expect(health.body.components['freeswitch:fs-b']?.state).toBe('ok');
    expect(await r().getText('/metrics')).toMatch(/^hotline_freeswitch_link_up\{node="fs-a"\} 0$/m);

    await waitFor('agent 1001 free again', async () => ((await r().get<{ status: string }>('/api/agents/1001')).status === 'on-call' ? undefined : true), 15_000);
    const { callSid, callerUuid } = await callOn(node(b));
    await consultOn(node(b), callSid, callerUuid);
  }, 90_000);
});
