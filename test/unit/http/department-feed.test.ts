import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/adapters/http/app.js';
import { accessControlFromTokens } from '../../../src/adapters/http/auth/index.js';
import { departmentFeedRoutes } from '../../../src/adapters/http/routes/department-feed.js';
import { departmentFeedItems, departmentFeeds } from '../../../src/app/outbox/index.js';
import type { CallRecord } from '../../../src/core/call/index.js';
import { createLogger } from '../../../src/lib/logger.js';
import { MemoryOutboxDb } from '../../support/memory-outbox-db.js';
import { TOKENS, cityWithDepartments, headers, type Who } from './auth-fixture.js';

const hook = { url: 'https://d.example/h', secretEnv: 'S', callerNumbers: 'masked' as const, timeoutSeconds: 10 };
const registry = { ...cityWithDepartments(), departments: { transport: { name: '交通运输局', webhook: hook }, market: { name: '市场监管局', webhook: hook } } };
const db = new MemoryOutboxDb();
let app: FastifyInstance;

const record = (callSid: string, line: string): CallRecord => ({
  callSid, fsUuid: `u-${callSid}`, caller: '13812345678', line, mode: 'dual', queue: 'general', hops: [], arrivedAt: 1, queuedAt: 2,
  answeredAt: 3, agentId: 'g1', agentsTried: ['g1'], endedAt: 10, outcome: 'answered', waitSeconds: 1, waitFromArrivalSeconds: 2,
  survey: undefined, hangupCause: 'NORMAL_CLEARING',
});

beforeAll(async () => {
  const feeds = departmentFeeds(registry);
  for (let i = 1; i <= 5; i += 1) await db.enqueueOutbox(departmentFeedItems(record(`t${i}`, '12328'), feeds));
  await db.enqueueOutbox(departmentFeedItems(record('m1', '12315'), feeds));
  await db.markDelivered('t1:transport', 99);
  const logger = createLogger({ level: 'silent' });
  app = await buildApp({
    logger, health: [],
    plugins: [accessControlFromTokens(TOKENS, { registry, logger }).plugin, departmentFeedRoutes(db, new Set(['transport', 'market']))],
  });
});
afterAll(async () => { await app.close(); });

const get = (who: Who, url: string) => app.inject({ method: 'GET', url, headers: headers(who) });

describe('GET /api/departments/:id/feed', () => {
  it('replays a department\'s items from a cursor, oldest first, with seq, state and the record as sent (masked)', async () => {
    const res = await get('transport', '/api/departments/transport/feed?after=0&limit=2');
    expect(res.statusCode).toBe(200);
    const body = res.json<{ items: { seq: number; id: string; state: string; record: CallRecord }[]; next: number | null }>();
    expect(body.items.map((i) => [i.id, i.state])).toEqual([['t1:transport', 'delivered'], ['t2:transport', 'pending']]);
    expect(body.items[0]?.record.caller).toBe('138****5678');
    expect(body.next).toBe(body.items[1]?.seq);
    const rest = (await get('transport', `/api/departments/transport/feed?after=${String(body.next)}&limit=10`)).json<typeof body>();
    expect(rest.items.map((i) => i.id)).toEqual(['t3:transport', 't4:transport', 't5:transport']);
    expect(rest.next).toBeNull();
    expect(rest.items.every((i, k, all) => k === 0 || i.seq > (all[k - 1]?.seq ?? 0))).toBe(true);
  });

  it('admin reads any department\'s feed', async () => {
    const res = await get('admin', '/api/departments/market/feed');
    expect(res.json<{ items: { id: string }[] }>().items.map((i) => i.id)).toEqual(['m1:market']);
  });

  it('another department\'s token gets 404, like an unknown department', async () => {
    for (const url of ['/api/departments/market/feed', '/api/departments/nowhere/feed']) {
      const res = await get('transport', url);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ code: 'HOTLINE_ERR_DEPARTMENT_NOT_FOUND' });
    }
  });

  it('agents and supervisors are refused (403), no token 401', async () => {
    expect((await get('agentG1', '/api/departments/transport/feed')).statusCode).toBe(403);
    expect((await get('supervisor', '/api/departments/transport/feed')).statusCode).toBe(403);
    expect((await get('none', '/api/departments/transport/feed')).statusCode).toBe(401);
  });

  it('refuses a bad cursor or limit (400)', async () => {
    expect((await get('admin', '/api/departments/transport/feed?after=-1')).statusCode).toBe(400);
    expect((await get('admin', '/api/departments/transport/feed?limit=0')).statusCode).toBe(400);
  });

  it('answers 503 while the records database is unreachable', async () => {
    db.down = true;
    try {
      const res = await get('admin', '/api/departments/transport/feed');
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ code: 'HOTLINE_ERR_RECORDS_UNAVAILABLE' });
    } finally {
      db.down = false;
    }
  });
});
