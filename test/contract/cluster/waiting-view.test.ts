/**
 * The waiting-calls board on any node shows every caller: node B's `/api/calls/waiting` (the real
 * route behind the real access plugin) lists the callers node A holds with their numbers, taken
 * from the shared store's entries, masked by role as for its own callers. An entry an older node
 * wrote (no number in it) shows `caller: null` on the other node, its own node still knowing it.
 */
import type { FastifyInstance } from 'fastify';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/adapters/http/app.js';
import { accessControlFromTokens } from '../../../src/adapters/http/auth/index.js';
import { queueRoutes } from '../../../src/adapters/http/routes/queues.js';
import { RedisKeys } from '../../../src/adapters/store/redis/index.js';
import { createLogger } from '../../../src/lib/logger.js';
import type { TokenEntry } from '../../../src/settings/access.js';
import { probeRedis, requireRedisServer, startRedisServer, type RedisServer } from '../../support/redis-server.js';
import { clusterCity } from './fixtures.js';
import { startNode, type Node } from './in-process.js';

const TOKENS = {
  admin: 'admin-token-0123456789',
  supervisor: 'supervisor-token-012345',
  transport: 'dept-transport-token-0123',
} as const;
const ENTRIES: readonly TokenEntry[] = [
  { token: TOKENS.admin, role: 'admin', name: 'ops-admin' },
  { token: TOKENS.supervisor, role: 'supervisor', name: 'shift-lead' },
  { token: TOKENS.transport, role: 'department', name: 'transport-bureau', department: 'transport' },
];

interface Waiting { callId: string; line: string | null; caller: string | null; position: number }

describe.skipIf(!requireRedisServer())('the waiting-calls board of one node shows the callers of every node', () => {
  let redis: RedisServer;
  let nodes: Node[] = [];
  let apps: FastifyInstance[] = [];

  beforeAll(async () => { redis = await startRedisServer(); });
  afterAll(async () => { await redis.stop(); });
  afterEach(async () => {
    for (const app of apps) await app.close();
    for (const x of nodes) await x.close().catch(() => undefined);
    apps = [];
    nodes = [];
    await redis.restart();
  });

  const registry = () => {
    const r = clusterCity(1);
    r.lines = [{ number: '12328', name: '交通运输服务监督热线', mode: 'dual', priority: 0, queue: 'general', department: 'transport' }];
    return r;
  };

  async function boardOf(node: Node): Promise<FastifyInstance> {
    const reg = registry();
    const logger = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, done) => done() }) });
    const access = accessControlFromTokens(ENTRIES, { registry: reg, logger });
    const app = await buildApp({ logger, health: [], plugins: [access.plugin, queueRoutes(node.acd)] });
    apps.push(app);
    return app;
  }

  async function waiting(app: FastifyInstance, who: keyof typeof TOKENS): Promise<{ calls: Waiting[]; body: string }> {
    const r = await app.inject({ url: '/api/calls/waiting', headers: { authorization: `Bearer ${TOKENS[who]}` } });
    expect(r.statusCode, r.body).toBe(200);
    return { calls: r.json<{ calls: Waiting[] }>().calls, body: r.body };
  }

  async function twoNodes(): Promise<[Node, Node]> {
    const reg = registry();
    const a = await startNode(redis.url, reg, 'A', { beatMs: 200, ttlMs: 1000 });
    const b = await startNode(redis.url, reg, 'B', { beatMs: 200, ttlMs: 1000 });
    nodes.push(a, b);
    const t = Date.now();
    await a.call('a1', { seniority: t - 3000, line: '12328', caller: '13812345678' });
    await b.call('b1', { seniority: t - 2000, line: '12345', caller: '13987654321' });
    await a.call('a2', { seniority: t - 1000, line: '12345', caller: '057188001234' });
    return [a, b];
  }

  it('B lists A\'s callers with their numbers: in full for admin, masked for a supervisor, own lines only for a department', async () => {
    const [, b] = await twoNodes();
    const board = await boardOf(b);

    const admin = await waiting(board, 'admin');
    expect(admin.calls.map((c) => [c.callId, c.line, c.caller, c.position])).toEqual([
      ['a1', '12328', '13812345678', 1], ['b1', '12345', '13987654321', 2], ['a2', '12345', '057188001234', 3],
    ]);

    const supervisor = await waiting(board, 'supervisor');
    expect(supervisor.calls.map((c) => c.caller)).toEqual(['138****5678', '139****4321', '057*****1234']);
    for (const full of ['13812345678', '13987654321', '057188001234']) expect(supervisor.body).not.toContain(full);

    const transport = await waiting(board, 'transport');
    expect(transport.calls.map((c) => [c.callId, c.caller])).toEqual([['a1', '138****5678']]);
    expect(transport.body).not.toContain('13812345678');
  });

  it('an entry written by an older node (no number stored) shows caller null on B, the number on A that holds the call', async () => {
    const [a, b] = await twoNodes();
    // What an older node's enqueue leaves: the call hash without the `caller` field.
    const probe = probeRedis(redis.url);
    try {
      expect(await probe.hdel(new RedisKeys().call('a2'), 'caller')).toBe(1);
    } finally {
      probe.disconnect();
    }
    const onB = (await waiting(await boardOf(b), 'admin')).calls;
    expect(onB.map((c) => [c.callId, c.caller])).toEqual([['a1', '13812345678'], ['b1', '13987654321'], ['a2', null]]);
    const onA = (await waiting(await boardOf(a), 'admin')).calls;
    expect(onA.map((c) => [c.callId, c.caller])).toEqual([['a1', '13812345678'], ['b1', '13987654321'], ['a2', '057188001234']]);
  });
});
