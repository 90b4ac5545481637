/**
 * Any node acts on any call, on one real redis-server with two router nodes in this process
 * (each its own Redis connections, call RPC, live-call directory and transfer service; FreeSWITCH
 * is the transfer tests' fake control): the HTTP transfer API on node B drives a call node A
 * holds, refusals keep their codes across the hop, the one hand-over is refused on the other
 * node and after a restart, a dead owner answers 503 with a stable code, and a feature code
 * heard on B reaches A once. Also the Redis live-call directory and hand-over claim themselves.
 */
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/adapters/http/app.js';
import { transferRoutes } from '../../../src/adapters/http/routes/transfers.js';
import { connectRedis, RedisLiveCalls, RedisNodeRegistry, RedisRpcTransport } from '../../../src/adapters/store/redis/index.js';
import { NodeTimers } from '../../../src/adapters/timers/index.js';
import { CallRpc } from '../../../src/app/cluster/call-rpc.js';
import { LiveCallTracker } from '../../../src/app/cluster/live-call-tracker.js';
import { AnyNodeTransfers, TransferCounters, TransferService } from '../../../src/app/transfer/index.js';
import type { CallAcd } from '../../../src/app/acd/call-acd-port.js';
import { buildTransferDirectory } from '../../../src/core/transfer/index.js';
import { createLogger } from '../../../src/lib/logger.js';
import { requireRedisServer, startRedisServer, type RedisServer } from '../../support/redis-server.js';
import { FakeCalls, FakeControl, FakeWorkOrders } from '../../unit/transfer/fake-ports.js';
import { transferRegistry } from '../../unit/transfer/fixtures.js';
import { until } from './in-process.js';

const logger = createLogger({ level: 'silent' });
const clock = { now: () => Date.now() };
const TTL = 2_000;

interface TestNode {
  readonly id: string;
  readonly calls: FakeCalls;
  readonly control: FakeControl;
  readonly live: RedisLiveCalls;
  readonly tracker: LiveCallTracker;
  readonly app: FastifyInstance;
  readonly api: AnyNodeTransfers;
  readonly svc: TransferService;
  /** The node dies: no more RPC, heartbeat gone. */
  kill(): Promise<void>;
  close(): Promise<void>;
}

/** The sub-center open around the clock, whatever the time the test runs at. */
function openRegistry() {
  const registry = transferRegistry();
  registry.lines = registry.lines.map((l) => (l.mode === 'subcenter' ? { ...l, subcenter: { ...l.subcenter, schedule: '24x7' } } : l));
  return registry;
}

describe.skipIf(!requireRedisServer())('any node acts on any call (two nodes, one Redis)', () => {
  let redis: RedisServer;
  const nodes: TestNode[] = [];
  const clients: Redis[] = [];
  let n = 0;

  beforeAll(async () => { redis = await startRedisServer(); });
  afterAll(async () => { await redis.stop(); });
  afterEach(async () => {
    for (const x of nodes.splice(0)) await x.close().catch(() => undefined);
    for (const c of clients.splice(0)) c.disconnect();
    await redis.restart();
  });

  async function node(name: string, rpcTimeoutMs = 2_000): Promise<TestNode> {
    n += 1;
    const id = `${name}${n}`;
    const client = await connectRedis(redis.url);
    const sub = await connectRedis(redis.url);
    clients.push(client, sub);
    const registry = new RedisNodeRegistry(client);
    await registry.beat(id, { ttlMs: TTL, beatMs: 200 });
    const beat = setInterval(() => { void registry.beat(id, { ttlMs: TTL, beatMs: 200 }).catch(() => undefined); }, 200);
    const live = new RedisLiveCalls(client);
    const calls = new FakeCalls();
    const control = new FakeControl();
    const svc = new TransferService({
      directory: buildTransferDirectory(openRegistry()), control, calls, workOrders: new FakeWorkOrders(), metrics: new TransferCounters(),
      clock, logger, history: live,
    });
    const rpc = new CallRpc({ nodeId: id, transport: new RedisRpcTransport(client, sub), clock, timers: new NodeTimers(clock), logger, timeoutMs: rpcTimeoutMs });
    const api = new AnyNodeTransfers({ local: svc, calls, logger, cluster: { directory: live, rpc } });
    await rpc.start(api.serve);
    const app = await buildApp({ logger, health: [], plugins: [transferRoutes(api)] });
    const tracker = new LiveCallTracker({ directory: live, nodeId: id, call: (sid) => calls.get(sid), logger });
    let closed = false;
    const x: TestNode = {
      id, calls, control, live, tracker, app, api, svc,
      async kill() {
        clearInterval(beat);
        await rpc.close();
        await registry.leave(id);
      },
      async close() {
        if (closed) return;
        closed = true;
        clearInterval(beat);
        svc.close();
        await rpc.close().catch(() => undefined);
        await app.close();
      },
    };
    nodes.push(x);
    return x;
  }

  /** Node `owner` holds call `callSid`, its agent answered (recorded as the call sessions do, through the tracker). */
  async function holds(owner: TestNode, callSid: string, callerUuid = `${callSid}-caller`): Promise<void> {
    owner.calls.add({ callSid, callerUuid, agentId: '1001' });
    const acd = { agentAnswered: () => Promise.resolve() } as unknown as CallAcd;
    await owner.tracker.wrap(acd).agentAnswered(callSid, '1001');
    await owner.tracker.idle();
  }

  const post = (x: TestNode, url: string, payload?: object) => x.app.inject({ method: 'POST', url, ...(payload === undefined ? {} : { payload }) });
  const get = (x: TestNode, url: string) => x.app.inject({ method: 'GET', url });

  it('consult → three-way → complete through B of a call A holds; a second transfer is refused on B and on A', async () => {
    const a = await node('A');
    const b = await node('B');
    await holds(a, 'c1');

    const started = await post(b, '/api/calls/c1/transfer', { target: '12366' });
    expect(started.statusCode, started.body).toBe(200);
    expect(started.json()).toMatchObject({ callSid: 'c1', phase: 'consulting', current: { target: '12366' } });
    expect(a.control.log).toEqual(['enter hotline-c1 c1-caller c1-agent', 'dial sofia/gateway/tax/12366 30s']);
    expect(b.control.log).toEqual([]); // B sent nothing to FreeSWITCH itself

    a.control.dials[0]?.settle({ kind: 'answered' });
    await until('answered, seen from B', async () => (await get(b, '/api/calls/c1/transfer')).json<{ current?: { answeredAt?: number } }>().current?.answeredAt !== undefined);
    expect((await post(b, '/api/calls/c1/transfer/three-way')).json()).toMatchObject({ phase: 'three-way' });
    const done = await post(b, '/api/calls/c1/transfer/complete');
    expect(done.json()).toMatchObject({ phase: 'completed', legs: [{ target: '12366', outcome: 'completed' }] });
    expect(a.control.log.slice(2)).toEqual(['unhold', 'hangup c1-agent NORMAL_CLEARING']);

    for (const x of [b, a]) {
      const again = await post(x, '/api/calls/c1/transfer', { target: 'huzhou' });
      expect(again.statusCode).toBe(409);
      expect(again.json()).toMatchObject({ code: 'HOTLINE_ERR_TRANSFER_LIMIT' });
    }
    // An emergency line is still allowed, from either node.
    expect((await post(b, '/api/calls/c1/transfer', { target: 'police' })).statusCode).toBe(200);
  });

  it('the hand-over holds after a restart: the caller taken back by a new node is refused a second transfer', async () => {
    const a = await node('A');
    const b = await node('B');
    await holds(a, 'c1', 'caller-x');
    await post(b, '/api/calls/c1/transfer', { target: '12366' });
    a.control.dials[0]?.settle({ kind: 'answered' });
    await until('answered', () => a.svc.view('c1').current?.answeredAt !== undefined);
    expect((await post(b, '/api/calls/c1/transfer/complete')).statusCode).toBe(200);
    await a.kill();
    await a.close();

    // A new router process (new node id, empty memory) holds the same caller channel on a new call.
    const c = await node('C');
    await holds(c, 'c2', 'caller-x');
    for (const x of [c, b]) {
      const r = await post(x, '/api/calls/c2/transfer', { target: 'huzhou' });
      expect(r.statusCode).toBe(409);
      expect(r.json<{ message: string }>()).toMatchObject({ code: 'HOTLINE_ERR_TRANSFER_LIMIT', message: expect.stringContaining('12366') as string });
    }
    expect(c.control.log).toEqual([]);
  });

  it('refusals keep their codes across the hop; unknown calls are 404 on every node', async () => {
    const a = await node('A');
    const b = await node('B');
    await holds(a, 'c1');
    expect((await post(b, '/api/calls/c1/transfer/complete')).json()).toMatchObject({ statusCode: 409, code: 'HOTLINE_ERR_TRANSFER_STATE' });
    expect((await post(b, '/api/calls/c1/transfer', { target: 'nowhere' })).json()).toMatchObject({ statusCode: 404, code: 'HOTLINE_ERR_UNKNOWN_TARGET' });
    expect((await get(b, '/api/calls/nope/transfer')).json()).toMatchObject({ statusCode: 404, code: 'HOTLINE_ERR_UNKNOWN_CALL' });
    expect((await get(b, '/api/calls/c1/transfer')).json()).toMatchObject({ callSid: 'c1', phase: 'idle' });
    // A's call is over: its record leaves the directory, B answers 404.
    a.tracker.forget('c1');
    a.calls.calls.delete('c1');
    await until('record removed', async () => (await b.live.get('c1')) === undefined);
    expect((await get(b, '/api/calls/c1/transfer')).statusCode).toBe(404);
  });

  it('the owner is gone: 503 HOTLINE_ERR_CALL_OWNER_GONE at once — by its heartbeat, or by nobody on its channel', async () => {
    const a = await node('A');
    // B would wait 30 s for an answer: a 503 well before that did not wait for the RPC timeout.
    const b = await node('B', 30_000);
    const timed = async (op: () => ReturnType<typeof post>) => {
      const t0 = Date.now();
      const r = await op();
      return { r, ms: Date.now() - t0 };
    };
    await holds(a, 'c1');
    await a.kill(); // heartbeat deleted, RPC closed
    const first = await timed(() => post(b, '/api/calls/c1/transfer', { target: '12366' }));
    expect(first.r.statusCode).toBe(503);
    expect(first.r.json()).toMatchObject({ code: 'HOTLINE_ERR_CALL_OWNER_GONE' });
    expect(first.ms).toBeLessThan(5_000);

    // Heartbeat still there (died a moment ago) but nobody subscribed: the publish says so.
    const c = await node('C');
    await holds(c, 'c2');
    await c.close(); // RPC unsubscribed; its heartbeat lives on until its TTL
    expect((await b.live.get('c2'))?.ownerAlive).toBe(true);
    const second = await timed(() => post(b, '/api/calls/c2/transfer/cancel'));
    expect(second.r.statusCode).toBe(503);
    expect(second.r.json()).toMatchObject({ code: 'HOTLINE_ERR_CALL_OWNER_GONE' });
    expect(second.ms).toBeLessThan(5_000);
  });

  it('a feature code heard on B (and on A) reaches A once per digit', async () => {
    const a = await node('A');
    const b = await node('B');
    await holds(a, 'c1');
    let seq = 100;
    for (const d of '*112366#') {
      seq += 1;
      b.api.dtmf('c1-agent', d, `core:${seq}`); // B hears the event and forwards it
      a.api.dtmf('c1-agent', d, `core:${seq}`); // A hears the same event itself
    }
    await until('consult started on A', () => a.svc.view('c1').phase === 'consulting');
    // One consult, one dial: each digit counted once although heard twice.
    expect(a.control.dials).toHaveLength(1);
    expect(b.control.log).toEqual([]);

    // Only B hears them (the agent's leg is on a FreeSWITCH A is not connected to).
    await holds(a, 'c2');
    for (const d of '*1huzhou#'.replace('huzhou', '12366')) {
      seq += 1;
      b.api.dtmf('c2-agent', d, `core:${seq}`);
    }
    await until('consult started on A from B\'s digits', () => a.svc.view('c2').phase === 'consulting');
    expect(a.control.dials).toHaveLength(2);
  });

  it('Redis directory: owner liveness, channel index, hand-over claim idempotent per call', async () => {
    const a = await node('A');
    await a.live.put({ callSid: 's1', node: a.id, callerUuid: 'u1', agentUuid: 'u2', agentId: '1001' });
    expect(await a.live.get('s1')).toEqual({ callSid: 's1', node: a.id, callerUuid: 'u1', agentUuid: 'u2', agentId: '1001', ownerAlive: true, freeswitch: undefined });
    expect(await a.live.byLeg('u2')).toBe('s1');
    expect(await a.live.byLeg('u1')).toBe('s1');
    await a.live.put({ callSid: 's2', node: 'never-beat', callerUuid: 'u3', agentUuid: undefined, agentId: undefined, freeswitch: 'fs-7' });
    expect(await a.live.get('s2')).toMatchObject({ ownerAlive: false, agentUuid: undefined, agentId: undefined, freeswitch: 'fs-7' });
    await a.live.remove('s1');
    expect(await a.live.get('s1')).toBeUndefined();
    expect(await a.live.byLeg('u2')).toBeUndefined();

    expect(await a.live.claim('cu', 'call-1', '12366')).toBe(true);
    expect(await a.live.claim('cu', 'call-1', '12366')).toBe(true);
    expect(await a.live.claim('cu', 'call-10', 'huzhou')).toBe(false); // a prefix of another sid is another call
    expect(await a.live.handedTo('cu')).toBe('12366');
    const ttl = await clients[0]!.pttl('{hotline}:handover:cu');
    expect(ttl).toBeGreaterThan(23 * 3600 * 1000);
  });
});
