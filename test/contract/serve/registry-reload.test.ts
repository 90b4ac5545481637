/**
 * A scripted day of registry changes on a real `hotline serve` process (from source, through
 * tsx), its inbound ESL on the FreeSWITCH test peer, callers dialing its outbound socket as the
 * peer would. While one call talks and another rings, the registry file is edited and reloaded:
 *  - a line added: a new call to it routes (it was refused before);
 *  - a queue's hours changed so it is closed now: its waiting caller moves by the overflow rules;
 *  - the ringing agent removed: the call is answered and talks on; after it the agent is gone;
 *  - the call talking all along is untouched;
 *  - the dialplan is written again and the peer receives `api reloadxml`;
 *  - a broken file: 422 with line:col, the running version kept, the metric counted;
 *  - SIGHUP applies the next file; every reload is in the audit log with its actor and hash.
 */
import type { ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsOutboundCall, FsPeer, untilHangup, type AppBehaviour } from '../../support/fs-peer/index.js';
import { PROMPTS_YAML } from '../../support/registry-prompts.js';
import { until } from '../cluster/in-process.js';
import { serveOnPeer, type PeerServe } from './serve-on-peer.js';

const PASSWORD = 'peer-secret-0123';

/** Today and tomorrow in Asia/Shanghai: closing "today" whatever the hour the test runs. */
function shanghaiDates(): string[] {
  const day = (ms: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(ms));
  return [day(Date.now()), day(Date.now() + 86_400_000)];
}

interface Version {
  /** the extra line 12999 */
  newLine?: boolean;
  /** transport's schedule: closed today */
  transportClosed?: boolean;
  /** agent 1002 in the file */
  with1002?: boolean;
  /** an error: general's schedule points nowhere */
  broken?: boolean;
  /** the pool's display name (a harmless change) */
  poolName?: string;
}

function registryYaml(v: Version): string {
  const closed = shanghaiDates().map((d) => `"${d}"`).join(', ');
  return [
    'version: 1',
    'hotline: { number: "12345", region: 测试市, queue: general, poolQueue: pool }',
    'lines:',
    '  - { number: "12328", name: 交通运输, mode: dual, queue: transport }',
    ...(v.newLine === true ? ['  - { number: "12999", name: 新热线, mode: dual, queue: general }'] : []),
    'queues:',
    `  general: { name: 综合, schedule: ${v.broken === true ? 'nowhere' : 'always'}, maxWaitSeconds: 600, maxLength: 100, wrapUpSeconds: 0, overflow: pool, announceEverySeconds: 0 }`,
    `  transport: { name: 交通, schedule: ${v.transportClosed === true ? 'shut' : 'always'}, maxWaitSeconds: 600, maxLength: 100, wrapUpSeconds: 0, overflow: pool, announceEverySeconds: 0 }`,
    `  pool: { name: ${v.poolName ?? '兜底'}, schedule: always, maxWaitSeconds: 600, maxLength: 100, wrapUpSeconds: 0, announceEverySeconds: 0 }`,
    'agents:',
    '  - { id: "1001", name: 王芳, dial: user/1001, skills: {}, queues: [general] }',
    ...(v.with1002 === false ? [] : ['  - { id: "1002", name: 李强, dial: user/1002, skills: {}, queues: [general] }']),
    '  - { id: "1003", name: 赵磊, dial: user/1003, skills: {}, queues: [transport, pool] }',
    'schedules:',
    '  always: { alwaysOpen: true }',
    ...(v.transportClosed === true ? [`  shut: { weekly: [{ days: [mon, tue, wed, thu, fri, sat, sun], open: "00:00", close: "24:00" }], closedDates: [${closed}] }`] : []),
    ...PROMPTS_YAML,
    '',
  ].join('\n');
}

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

describe('registry hot reload on a running router (serve process, FreeSWITCH peer)', () => {
  let peer: FsPeer;
  let work: string;
  let child: ChildProcess;
  let base: string;
  let outboundPort: number;
  let serve: PeerServe | undefined;
  const log = (): string => serve?.log() ?? '';
  const reloadxml: number[] = [];
  const token = randomBytes(24).toString('hex');
  const auth = { authorization: `Bearer ${token}` };
  const file = () => join(work, 'registry.yaml');

  const get = async (path: string): Promise<{ status: number; body: Record<string, unknown> }> => {
    const r = await fetch(`${base}${path}`, { headers: auth });
    return { status: r.status, body: await r.json() as Record<string, unknown> };
  };
  const post = async (path: string): Promise<{ status: number; body: Record<string, unknown> }> => {
    const r = await fetch(`${base}${path}`, { method: 'POST', headers: auth });
    return { status: r.status, body: await r.json() as Record<string, unknown> };
  };
  /** until(), failing with the router's recent warnings and errors. */
  const step = (what: string, cond: () => boolean | Promise<boolean>, ms: number): Promise<number> => until(what, cond, ms).catch((err: unknown) => {
    const notable = log().split('\n').filter((l) => /call-|"level":(4|5|6)0/.test(l)).slice(-25).join('\n');
    return get('/api/agents').then((agents) => { throw new Error(`${String(err)}\nagents: ${JSON.stringify(agents.body)}\n${notable}`); });
  });
  const status = async (agent: string): Promise<unknown> => (await get(`/api/agents/${agent}`)).body.status;
  const waiting = async (): Promise<{ queueId: string; line: string }[]> => (await get('/api/calls/waiting')).body.calls as { queueId: string; line: string }[];

  /** A call the peer places into the router; `answer` decides when the agent's phone is picked up. */
  async function dial(destination: string, answer: Promise<void> = Promise.resolve()) {
    let breakHold: (() => void) | undefined;
    // A break that reaches the peer before the hold music it is meant for has started still ends it.
    let breakPending = false;
    const call = await FsOutboundCall.dial({
      host: '127.0.0.1', port: outboundPort, profile: { destination, callerNumber: '13812345678' },
      api: (command) => {
        if (command === 'uuid_break') {
          if (breakHold === undefined) breakPending = true;
          breakHold?.();
          return Promise.resolve('+OK\n');
        }
        return Promise.resolve(command === 'status' ? 'UP\n' : undefined);
      },
    });
    const hold: AppBehaviour = async (ctx) => {
      if (!ctx.arg.startsWith('local_stream://')) return 'FILE PLAYED';
      if (breakPending) {
        breakPending = false;
        return 'FILE PLAYED';
      }
      await Promise.race([ctx.hungUp, new Promise<void>((resolve) => { breakHold = resolve; })]);
      breakHold = undefined;
      return 'FILE PLAYED';
    };
    const bridge: AppBehaviour = async (ctx) => {
      await Promise.race([answer, ctx.hungUp]);
      ctx.fire('CHANNEL_BRIDGE', [['Bridge-A-Unique-ID', call.uuid], ['Other-Leg-Unique-ID', `agent-of-${call.uuid}`]]);
      await untilHangup(ctx);
      return undefined;
    };
    call.app('playback', hold).app('bridge', bridge).app('park', untilHangup);
    return call;
  }

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'registry-reload-'));
    writeFileSync(join(work, 'tokens.json'), JSON.stringify([{ token, name: 'engineer', role: 'admin' }]), { mode: 0o600 });
    writeFileSync(file(), registryYaml({}));
    peer = await FsPeer.start({ password: PASSWORD });
    peer.api('reloadxml', () => { reloadxml.push(Date.now()); return '+OK [Success]\n'; });
    serve = await serveOnPeer(work, peer, PASSWORD, (port) => ({ DIALPLAN_DIR: join(work, 'dialplan'), DIALPLAN_ROUTER: `127.0.0.1:${port}` }));
    ({ child, base, outboundPort } = serve);
  }, 90_000);

  afterAll(async () => {
    await serve?.stop();
    await peer.close();
    rmSync(work, { recursive: true, force: true });
  }, 30_000);

  it('changes apply to new calls and waiting callers; calls in progress keep going; a broken file changes nothing', async () => {
    const v1 = registryYaml({});
    expect((await get('/api/registry')).body).toMatchObject({ sha256: sha(v1), inSync: true });
    const dialplan = () => readFileSync(join(work, 'dialplan', 'hotline.xml'), 'utf8');
    expect(dialplan()).toContain('12328');
    expect(dialplan()).not.toContain('12999');

    // 12999 is not a line yet: refused unanswered.
    const early = await dial('12999');
    await step('12999 refused', () => early.runner.hangupCause !== undefined, 10_000);
    expect(early.runner.hangupCause).toBe('UNALLOCATED_NUMBER');

    // A: 1001 answers and talks through everything that follows.
    for (const a of ['1001', '1002', '1003']) expect((await post(`/api/agents/${a}/login`)).status).toBe(200);
    expect((await post('/api/agents/1001/ready')).status).toBe(200);
    const a = await dial('12345');
    await step('1001 talking', async () => (await status('1001')) === 'on-call', 15_000);
    // B: rings 1002, who answers only when the test says so.
    let pickUp!: () => void;
    const b = await dial('12345', new Promise<void>((resolve) => { pickUp = resolve; }));
    await step('B waiting', async () => (await waiting()).length === 1, 10_000);
    expect((await post('/api/agents/1002/ready')).status).toBe(200);
    await step('1002 ringing', async () => (await status('1002')) === 'ringing', 10_000);
    // C: waits in transport (1003 is logged in, not ready).
    const c = await dial('12328');
    await step('C waiting in transport', async () => (await waiting()).some((w) => w.queueId === 'transport'), 10_000);

    // The engineer's change: a new line, transport closed today, 1002 gone.
    const v2 = registryYaml({ newLine: true, transportClosed: true, with1002: false });
    writeFileSync(file(), v2);
    const applied = await post('/api/registry/reload');
    expect(applied.status, log().slice(-5_000)).toBe(200);
    expect(applied.body).toMatchObject({
      outcome: 'applied', sha256: sha(v2), previousSha256: sha(v1),
      changes: {
        lines: { added: ['12999'], removed: [], changed: [] }, queues: { added: [], removed: [], changed: ['transport'] },
        agents: { added: [], removed: ['1002'], changed: [] }, schedules: { added: ['shut'], removed: [], changed: [] }, needsRestart: [],
      },
      steps: [{ step: 'acd', ok: true }, { step: 'dialplan', ok: true }, { step: 'reloadxml', ok: true, detail: '+OK [Success]' }],
    });
    expect(reloadxml).toHaveLength(1);
    expect(dialplan()).toContain('12999');

    // C moved to the pool by the overflow rules; A talks on; 1002 still rings for B.
    await step('C in the pool', async () => (await waiting()).some((w) => w.queueId === 'pool' && w.line === '12328'), 10_000);
    expect(await waiting()).toHaveLength(1);
    expect(await status('1001')).toBe('on-call');
    expect(a.closed).toBe(false);
    expect(await status('1002')).toBe('ringing');
    expect((await get('/api/registry')).body).toMatchObject({ sha256: sha(v2), retiringAgents: ['1002'] });
    await expect(post('/api/agents/1002/login')).resolves.toMatchObject({ status: 404 });

    // D: the new line routes (general, where nobody is free: it waits there).
    const d = await dial('12999');
    await step('D waiting in general', async () => (await waiting()).some((w) => w.queueId === 'general' && w.line === '12999'), 10_000);

    // B's agent picks up after all: the call is answered and ends normally, then 1002 is gone.
    pickUp();
    await step('1002 talking', async () => (await status('1002')) === 'on-call', 10_000);
    await b.hangup();
    await step('1002 gone', async () => (await get('/api/agents/1002')).status === 404, 10_000);
    expect((await get('/api/agents')).body.agents).toHaveLength(2);

    // A broken file: refused with its line:col, nothing changes.
    const broken = registryYaml({ newLine: true, transportClosed: true, with1002: false, broken: true });
    writeFileSync(file(), broken);
    const refused = await post('/api/registry/reload');
    expect(refused.status).toBe(422);
    const lines = broken.split('\n');
    const at = lines.findIndex((l) => l.includes('nowhere'));
    expect(refused.body).toMatchObject({ code: 'HOTLINE_ERR_REGISTRY_INVALID', sha256: sha(broken) });
    const problems = refused.body.problems as { line: number; col: number; path: string; severity: string }[];
    expect(problems.filter((p) => p.severity === 'error')).toMatchObject([{ line: at + 1, col: (lines[at]?.indexOf('nowhere') ?? -2) + 1, path: 'queues.general.schedule' }]);
    expect(String(refused.body.message)).toContain(`${at + 1}:`);
    expect((await get('/api/registry')).body).toMatchObject({ sha256: sha(v2) });
    const metrics = await (await fetch(`${base}/metrics`, { headers: auth })).text();
    expect(metrics).toMatch(/hotline_registry_reloads_total\{outcome="invalid"\} 1/);
    expect(metrics).toMatch(/hotline_registry_reloads_total\{outcome="applied"\} 1/);
    expect(metrics).toContain(`hotline_registry_info{sha256="${sha(v2)}"} 1`);
    expect(reloadxml).toHaveLength(1);
    // D still routes by v2, A still talks.
    expect(await waiting()).toHaveLength(2);
    expect(await status('1001')).toBe('on-call');

    // SIGHUP: the next good file.
    const v3 = registryYaml({ newLine: true, transportClosed: true, with1002: false, poolName: '兜底二' });
    writeFileSync(file(), v3);
    process.kill(child.pid ?? -1, 'SIGHUP');
    await step('v3 applied on SIGHUP', async () => (await get('/api/registry')).body.sha256 === sha(v3), 10_000);
    // Applied first, then the steps (ACD, dialplan, FreeSWITCH).
    await step('reloadxml after SIGHUP', () => reloadxml.length === 2, 10_000);
    expect(child.exitCode).toBeNull();

    // The audit log: who, the hash, what changed.
    type Audit = { actor: string; action: string; result: string; detail?: { sha256?: string; changes?: { lines?: { added?: string[] } } } };
    const audits = async () => ((await get('/api/audit')).body.entries as Audit[]).filter((e) => e.action === 'registry reload');
    await step('reloads audited', async () => (await audits()).length === 3, 10_000);
    const entries = await audits();
    expect(entries.map((e) => [e.actor, e.result, e.detail?.sha256])).toEqual(expect.arrayContaining([
      ['engineer', 'applied', sha(v2)], ['engineer', 'HOTLINE_ERR_REGISTRY_INVALID', sha(broken)], ['SIGHUP', 'applied', sha(v3)],
    ]));
    expect(entries.find((e) => e.detail?.sha256 === sha(v2))?.detail?.changes?.lines?.added).toEqual(['12999']);

    // Everyone hangs up: A's call was never disturbed (answered by 1001, one record each).
    for (const call of [a, c, d]) await call.hangup();
    await step('no calls left', async () => (await waiting()).length === 0 && (await status('1001')) !== 'on-call', 10_000);
  }, 120_000);
});
