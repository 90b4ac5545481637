/**
 * The router on two FreeSWITCH nodes (ESL_NODES=registry), as `hotline serve` from source: two
 * wire-level FreeSWITCH test peers are the registry's nodes fs-a and fs-b, on one host with one
 * switchname (what tells them apart is their Core-UUID). A call that came in over node B's outbound
 * socket is transferred over B's inbound link and A hears nothing of it, and the other way round.
 * Node A's link lost: /health and /metrics say so, calls on B still transfer; A back (restarted,
 * a new Core-UUID): its link reconnects and its calls are A's again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsCore, FsPeer, dialAnsweredCaller, type FsOutboundCall } from '../../support/fs-peer/index.js';
import { freePort } from '../../support/redis-server.js';
import { repoRoot } from '../../support/run-cli.js';
import { until } from '../cluster/in-process.js';

const PASSWORD = 'peer-secret-0123';
const SWITCHNAME = 'one-box';

interface Node { peer: FsPeer; readonly name: string; readonly port: number; readonly sent: string[] }

describe('the router linked to two FreeSWITCH nodes', () => {
  let work: string;
  let router: ChildProcess;
  let base: string;
  let outboundPort: number;
  let log = '';
  const token = randomBytes(24).toString('hex');
  const auth = { authorization: `Bearer ${token}` };
  const nodes: Record<'a' | 'b', Node> = {} as Record<'a' | 'b', Node>;
  const calls: FsOutboundCall[] = [];

  async function startPeer(node: Pick<Node, 'name' | 'sent'>, port?: number): Promise<FsPeer> {
    const peer = await FsPeer.start({ password: PASSWORD, core: new FsCore(SWITCHNAME), ...(port === undefined ? {} : { port }) });
    const record = (command: string, reply: (arg: string) => string) => (_c: string, arg: string): string => { node.sent.push(`${command} ${arg}`); return reply(arg); };
    for (const c of ['uuid_setvar_multi', 'uuid_transfer', 'conference', 'uuid_kill', 'uuid_getvar']) peer.api(c, record(c, () => '+OK\n'));
    peer.api('originate', record('originate', (arg) => `+OK ${/origination_uuid=([^,}]+)/.exec(arg)?.[1] ?? ''}\n`));
    // switch_core.c sets the core_uuid global at start: what tells two FreeSWITCH on one host apart.
    peer.api('global_getvar', (_c, arg) => (arg.trim() === 'core_uuid' ? peer.core.coreUuid : ''));
    return peer;
  }

  const get = async (path: string): Promise<Record<string, unknown>> => (await fetch(`${base}${path}`, { headers: auth })).json() as Promise<Record<string, unknown>>;
  const post = async (path: string, body?: object): Promise<{ status: number; body: Record<string, unknown> }> => {
    const r = await fetch(`${base}${path}`, {
      method: 'POST', headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: r.status, body: await r.json() as Record<string, unknown> };
  };
  const health = async (): Promise<Record<string, { state: string; detail?: string }>> => (await get('/health')).components as Record<string, { state: string; detail?: string }>;
  const linkUp = async (name: string): Promise<string | undefined> => {
    const text = await (await fetch(`${base}/metrics`, { headers: auth })).text();
    return new RegExp(`^hotline_freeswitch_link_up\\{node="${name}"\\} (\\d)$`, 'm').exec(text)?.[1];
  };

  /** A caller of 12345 over `node`'s outbound socket, answered by `agent`; resolves with the call id once they talk. */
  async function callAnsweredBy(node: Node, agent: string): Promise<{ call: FsOutboundCall; callSid: string }> {
    expect((await post(`/api/agents/${agent}/login`)).status).toBe(200);
    expect((await post(`/api/agents/${agent}/ready`)).status).toBe(200);
    const call = await dialAnsweredCaller({ host: '127.0.0.1', port: outboundPort, core: node.peer.core, agentLeg: `agent-leg-${agent}` });
    calls.push(call);
    await until(`agent ${agent} on the call`, async () => (await get(`/api/agents/${agent}`)).status === 'on-call', 15_000);
    return { call, callSid: String((await get(`/api/agents/${agent}`)).callId) };
  }

  /** Starts a transfer of the call; returns what each node was sent for it. */
  async function transfer(callSid: string, call: FsOutboundCall): Promise<Record<'a' | 'b', string[]>> {
    const mark = { a: nodes.a.sent.length, b: nodes.b.sent.length };
    const started = await post(`/api/calls/${callSid}/transfer`, { target: 'huzhou-12345' });
    expect(started.status, `${JSON.stringify(started.body)}\n${log}`).toBe(200);
    const consult = `uuid_transfer ${call.uuid} -both conference:hotline-${callSid}@hotline,set:park_timeout=20:NORMAL_CLEARING,park inline`;
    await until('the consult reached a node', () => [...nodes.a.sent, ...nodes.b.sent].includes(consult), 5_000);
    await until('the target dialled', () => [...nodes.a.sent, ...nodes.b.sent].slice(-20).some((s) => s.startsWith('originate ') && s.includes(`hotline_call=${callSid}`)), 5_000);
    return { a: nodes.a.sent.slice(mark.a), b: nodes.b.sent.slice(mark.b) };
  }

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'two-nodes-'));
    writeFileSync(join(work, 'tokens.json'), JSON.stringify([{ token, name: 'test', role: 'admin' }]), { mode: 0o600 });
    for (const key of ['a', 'b'] as const) {
      const node = { name: `fs-${key}`, sent: [] as string[] };
      const peer = await startPeer(node);
      nodes[key] = { ...node, peer, port: peer.port };
    }
    const example = readFileSync(join(repoRoot, 'config/hotline.example.yaml'), 'utf8');
    const withNodes = example.replace(/^nodes:\n(?: {2}- .*\n)+/m, [
      'nodes:',
      `  - { name: fs-a, sip: "127.0.0.1:5071", esl: "127.0.0.1:${nodes.a.port}", maxSessions: 1000 }`,
      `  - { name: fs-b, sip: "127.0.0.1:5072", esl: "127.0.0.1:${nodes.b.port}", maxSessions: 1000 }`,
      '',
    ].join('\n'));
    expect(withNodes).not.toBe(example);
    writeFileSync(join(work, 'registry.yaml'), withNodes);
    const port = await freePort();
    outboundPort = await freePort();
    base = `http://127.0.0.1:${port}`;
    router = spawn(process.execPath, ['--import', 'tsx', 'test/support/hotline-from-source.ts', 'serve'], {
      cwd: repoRoot, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '', HOTLINE_REGISTRY: join(work, 'registry.yaml'), HTTP_HOST: '127.0.0.1', HTTP_PORT: String(port),
        OUTBOUND_HOST: '127.0.0.1', OUTBOUND_PORT: String(outboundPort), ESL_NODES: 'registry', ESL_PASSWORD: PASSWORD,
        // ESL_HOST points nowhere: with ESL_NODES=registry it must not be used.
        ESL_HOST: '127.0.0.1', ESL_PORT: String(await freePort()),
        HOTLINE_TOKENS_FILE: join(work, 'tokens.json'), LOG_LEVEL: 'info', DRAIN_SECONDS: '1',
        REPORTS_DIR: join(work, 'reports'), RECORDS_FILE: join(work, 'records.db'), RECORDS_JOURNAL: join(work, 'journal.jsonl'),
      },
    });
    for (const stream of [router.stdout, router.stderr]) stream?.on('data', (d: Buffer) => { log = (log + d.toString('utf8')).slice(-30_000); });
    await until('router up', async () => (await fetch(`${base}/health`).then((r) => r.status < 500 || r.status === 503, () => false)), 30_000);
  }, 60_000);

  afterAll(async () => {
    for (const c of calls) await c.hangup().catch(() => undefined);
    if (router.exitCode === null && router.signalCode === null && router.pid !== undefined) {
      const exited = new Promise<void>((resolve) => router.once('exit', () => resolve()));
      process.kill(-router.pid, 'SIGTERM');
      const t = setTimeout(() => { if (router.pid !== undefined) process.kill(-router.pid, 'SIGKILL'); }, 10_000);
      await exited;
      clearTimeout(t);
    }
    await Promise.all([nodes.a.peer.close(), nodes.b.peer.close()]);
    rmSync(work, { recursive: true, force: true });
  });

  it('links both nodes and learns which is which', async () => {
    await until('both nodes linked', async () => (await health()).freeswitch?.state === 'ok', 15_000);
    expect(await health()).toMatchObject({
      freeswitch: { state: 'ok', detail: '2/2 nodes linked' },
      'freeswitch:fs-a': { state: 'ok', detail: `127.0.0.1:${nodes.a.port} connected` },
      'freeswitch:fs-b': { state: 'ok', detail: `127.0.0.1:${nodes.b.port} connected` },
    });
    expect(await linkUp('fs-a')).toBe('1');
    expect(await linkUp('fs-b')).toBe('1');
    await until('both nodes identified', () => (log.match(/freeswitch node identified/g) ?? []).length >= 2, 5_000);
  }, 30_000);

  it('a call on node B is transferred over B\'s link, a call on node A over A\'s', async () => {
    const onB = await callAnsweredBy(nodes.b, '1001');
    const sentB = await transfer(onB.callSid, onB.call);
    expect(sentB.b).toContain(`uuid_transfer ${onB.call.uuid} -both conference:hotline-${onB.callSid}@hotline,set:park_timeout=20:NORMAL_CLEARING,park inline`);
    expect(sentB.b.some((s) => s.startsWith('originate ') && s.includes('sofia/gateway/carrier/057212345'))).toBe(true);
    expect(sentB.a).toEqual([]);

    const onA = await callAnsweredBy(nodes.a, '1002');
    const sentA = await transfer(onA.callSid, onA.call);
    expect(sentA.a).toContain(`uuid_transfer ${onA.call.uuid} -both conference:hotline-${onA.callSid}@hotline,set:park_timeout=20:NORMAL_CLEARING,park inline`);
    expect(sentA.b).toEqual([]);

    // The consult on B goes on over B: complete hangs B's agent leg up there.
    const mark = nodes.b.sent.length;
    await until('the region answered', async () => ((await get(`/api/calls/${onB.callSid}/transfer`)).current as { answeredAt?: number } | undefined)?.answeredAt !== undefined, 5_000);
    expect((await post(`/api/calls/${onB.callSid}/transfer/complete`)).body).toMatchObject({ phase: 'completed' });
    expect(nodes.b.sent.slice(mark)).toContain('uuid_kill agent-leg-1001 NORMAL_CLEARING');
    expect(nodes.a.sent.some((s) => s.includes('agent-leg-1001'))).toBe(false);
  }, 60_000);

  it('node A\'s link lost: health and metrics say so, calls on B still transfer; A back: reconnected, its calls A\'s again', async () => {
    await nodes.a.peer.close();
    await until('A reported down', async () => (await health())['freeswitch:fs-a']?.state === 'degraded', 10_000);
    const h = await health();
    expect(h.freeswitch).toMatchObject({ state: 'degraded', detail: expect.stringMatching(/^1\/2 nodes linked; not: fs-a (reconnecting|connecting)$/) as unknown });
    expect(h['freeswitch:fs-b']?.state).toBe('ok');
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect(await linkUp('fs-a')).toBe('0');

    const onB = await callAnsweredBy(nodes.b, '1003');
    const sent = await transfer(onB.callSid, onB.call);
    expect(sent.b).toContain(`uuid_transfer ${onB.call.uuid} -both conference:hotline-${onB.callSid}@hotline,set:park_timeout=20:NORMAL_CLEARING,park inline`);

    // FreeSWITCH A restarted where the router expects it: a new Core-UUID, the same switchname.
    nodes.a.peer = await startPeer(nodes.a, nodes.a.port);
    await until('A linked again', async () => (await health())['freeswitch:fs-a']?.state === 'ok', 20_000);
    expect((await health()).freeswitch).toMatchObject({ state: 'ok', detail: '2/2 nodes linked' });
    expect(await linkUp('fs-a')).toBe('1');
    const retries = await (await fetch(`${base}/metrics`, { headers: auth })).text();
    expect(Number(/^hotline_freeswitch_link_retries_total\{node="fs-a"\} (\d+)$/m.exec(retries)?.[1])).toBeGreaterThan(0);
    expect(retries).toMatch(/^hotline_freeswitch_link_retries_total\{node="fs-b"\} 0$/m);

    await until('A re-identified', () => (log.match(/freeswitch node identified/g) ?? []).length >= 3, 5_000);
    const onA = await callAnsweredBy(nodes.a, '1004');
    const sentA = await transfer(onA.callSid, onA.call);
    expect(sentA.a).toContain(`uuid_transfer ${onA.call.uuid} -both conference:hotline-${onA.callSid}@hotline,set:park_timeout=20:NORMAL_CLEARING,park inline`);
    expect(sentA.b).toEqual([]);
  }, 90_000);
});
