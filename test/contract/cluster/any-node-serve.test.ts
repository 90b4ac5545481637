/**
 * Any node acts on any call, with the real router: two `hotline serve` processes (run from
 * source through tsx) on one redis-server, both connected over inbound ESL to the FreeSWITCH
 * test peer. The peer dials node A's outbound socket as a caller of 12345; agent 1001 answers
 * (a bridge the peer plays). The transfer API on node B drives that call: B forwards to A, A
 * sends the conference and originate commands to FreeSWITCH, and the one hand-over is then
 * refused on both nodes. When the caller hangs up, the live-call record leaves Redis.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsPeer, dialAnsweredCaller } from '../../support/fs-peer/index.js';
import { freePort, probeRedis, requireRedisServer, startRedisServer, type RedisServer } from '../../support/redis-server.js';
import { repoRoot } from '../../support/run-cli.js';
import { until } from './in-process.js';

const PASSWORD = 'peer-secret-0123';

interface Served {
  readonly base: string;
  readonly outboundPort: number;
  readonly log: () => string;
  stop(): Promise<void>;
}

describe.skipIf(!requireRedisServer())('transfer through node B of a call node A holds (router processes)', () => {
  let redis: RedisServer;
  let peer: FsPeer;
  let work: string;
  const token = randomBytes(24).toString('hex');
  const auth = { authorization: `Bearer ${token}` };
  const started: Served[] = [];
  const apis: string[] = [];

  async function serve(): Promise<Served> {
    const port = await freePort();
    const outboundPort = await freePort();
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'test/support/hotline-from-source.ts', 'serve'], {
      cwd: repoRoot, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH ?? '', REDIS_URL: redis.url, HTTP_HOST: '127.0.0.1', HTTP_PORT: String(port),
        OUTBOUND_HOST: '127.0.0.1', OUTBOUND_PORT: String(outboundPort), ESL_HOST: '127.0.0.1', ESL_PORT: String(peer.port),
        ESL_PASSWORD: PASSWORD, HOTLINE_TOKENS_FILE: join(work, 'tokens.json'), LOG_LEVEL: 'warn', DRAIN_SECONDS: '1',
        REPORTS_DIR: join(work, 'reports'),
      },
    });
    let err = '';
    // The log (stdout) and stderr, for the failure messages.
    for (const stream of [child.stdout, child.stderr]) stream?.on('data', (d: Buffer) => { err = (err + d.toString('utf8')).slice(-20_000); });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const s: Served = {
      base: `http://127.0.0.1:${port}`, outboundPort, log: () => err,
      async stop() {
        if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
        const t = setTimeout(() => { if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL'); }, 10_000);
        await exited;
        clearTimeout(t);
      },
    };
    started.push(s);
    await until('router up', async () => (await fetch(`${s.base}/health`).then((r) => r.ok, () => false)), 30_000);
    return s;
  }

  const post = async (s: Served, path: string, body?: object): Promise<{ status: number; body: Record<string, unknown> }> => {
    const r = await fetch(`${s.base}${path}`, {
      method: 'POST', headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: r.status, body: await r.json() as Record<string, unknown> };
  };
  const get = async (s: Served, path: string): Promise<Record<string, unknown>> => (await fetch(`${s.base}${path}`, { headers: auth })).json() as Promise<Record<string, unknown>>;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'any-node-serve-'));
    writeFileSync(join(work, 'tokens.json'), JSON.stringify([{ token, name: 'test', role: 'admin' }]), { mode: 0o600 });
    redis = await startRedisServer();
    peer = await FsPeer.start({ password: PASSWORD });
    const ok = (command: string) => (_c: string, arg: string): string => { apis.push(`${command} ${arg}`); return '+OK\n'; };
    for (const c of ['uuid_setvar_multi', 'uuid_transfer', 'conference', 'uuid_kill', 'uuid_getvar']) peer.api(c, ok(c));
    // bgapi originate: the target answers (mod_commands originate_function: `+OK <uuid>`).
    peer.api('originate', (_c, arg) => { apis.push(`originate ${arg}`); return `+OK ${/origination_uuid=([^,}]+)/.exec(arg)?.[1] ?? ''}\n`; });
  }, 30_000);
  afterAll(async () => {
    for (const s of started) await s.stop();
    await peer.close();
    await redis.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('B forwards to A; the hand-over is refused afterwards on both; the record leaves Redis with the call', async () => {
    const [a, b] = await Promise.all([serve(), serve()]);
    await until('both routers on the peer', () => peer.sessions.size >= 2, 10_000);

    expect((await post(b, '/api/agents/1001/login')).status).toBe(200);
    expect((await post(b, '/api/agents/1001/ready')).status).toBe(200);

    // Agent 1001 answers: the bridge's far end is its leg (media-control reads Other-Leg-Unique-ID).
    const call = await dialAnsweredCaller({ host: '127.0.0.1', port: a.outboundPort, agentLeg: 'agent-leg-1' });

    const agent = await until('agent 1001 on the call', async () => (await get(b, '/api/agents/1001')).status === 'on-call', 15_000)
      .then(() => get(b, '/api/agents/1001'), async (err: unknown) => {
        // Seen once in a loop at load ~31: say where the call and the agent were.
        throw new Error(`${String(err)}\nagent on B: ${JSON.stringify(await get(b, '/api/agents/1001'))}\nB: ${b.log()}\nA: ${a.log()}`);
      });
    const callSid = String(agent.callId);
    const path = `/api/calls/${callSid}/transfer`;
    const probe = probeRedis(redis.url);
    try {
      await until('live call recorded', async () => (await probe.exists(`{hotline}:live:${callSid}`)) === 1, 5_000);
      expect(await probe.hgetall(`{hotline}:live:${callSid}`)).toMatchObject({ node: expect.any(String) as string, caller: call.uuid, agentUuid: 'agent-leg-1', agentId: '1001', fs: peer.core.hostname });

      const started = await post(b, path, { target: 'huzhou-12345' });
      expect(started.status, `${JSON.stringify(started.body)}\nB: ${b.log()}\nA: ${a.log()}`).toBe(200);
      expect(apis).toContain(`uuid_transfer ${call.uuid} -both conference:hotline-${callSid}@hotline,set:park_timeout=20:NORMAL_CLEARING,park inline`);
      await until('the region answered', async () => ((await get(b, path)).current as { answeredAt?: number } | undefined)?.answeredAt !== undefined, 5_000);
      expect(apis.some((x) => x.startsWith('originate ') && x.includes('sofia/gateway/carrier/057212345'))).toBe(true);
      expect((await post(b, `${path}/three-way`)).body).toMatchObject({ phase: 'three-way' });
      expect((await post(b, `${path}/complete`)).body).toMatchObject({ phase: 'completed', legs: [{ target: 'huzhou-12345', outcome: 'completed' }] });
      expect(apis).toContain('uuid_kill agent-leg-1 NORMAL_CLEARING');

      for (const s of [b, a]) {
        const again = await post(s, path, { target: 'shaoxing-12345' });
        expect(again.status).toBe(409);
        expect(again.body).toMatchObject({ code: 'HOTLINE_ERR_TRANSFER_LIMIT' });
      }
      expect(await probe.get(`{hotline}:handover:${call.uuid}`)).toBe(`${callSid} huzhou-12345`);

      await call.hangup();
      await until('live call removed with the call', async () => (await probe.exists(`{hotline}:live:${callSid}`)) === 0, 10_000);
      const gone = await fetch(`${b.base}${path}`, { headers: auth });
      expect(gone.status).toBe(404);
    } finally {
      probe.disconnect();
    }
  }, 90_000);
});
