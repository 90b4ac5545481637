/**
 * The records routes behind the real access plugin, one token per role: who may list, who sees
 * the caller's number, who may search by it, a department's own lines only, paging, CSV, the
 * per-agent day and the audit log (fed by the access plugin through the AuditWriter).
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/adapters/http/app.js';
import { accessControlFromTokens } from '../../../src/adapters/http/auth/index.js';
import { agentRoutes } from '../../../src/adapters/http/routes/agents.js';
import { recordsRoutes } from '../../../src/adapters/http/routes/records.js';
import { AuditWriter } from '../../../src/app/records/activity-writers.js';
import type { AgentStateEvent } from '../../../src/app/records/records-db.js';
import type { CallRecord } from '../../../src/core/call/index.js';
import { zoneOf } from '../../../src/core/schedule/index.js';
import { createLogger } from '../../../src/lib/logger.js';
import { ManualClock } from '../../support/manual-clock.js';
import { MemoryRecordsDb } from '../../support/memory-records-db.js';
import { shanghai } from '../../support/registry-builder.js';
import { harness, type Harness } from '../acd-service/harness.js';
import { TOKENS, cityWithDepartments, headers, type Who } from './auth-fixture.js';

const DAY = '2026-03-10';

function rec(id: string, line: string, at: string, caller: string, extra: Partial<CallRecord> = {}): CallRecord {
  const arrivedAt = shanghai(`${DAY} ${at}`);
  return {
    callSid: id, fsUuid: `uuid-${id}`, caller, dialed: line, line, mode: 'dual', queue: 'general', hops: [], arrivedAt, queuedAt: arrivedAt + 2000,
    answeredAt: arrivedAt + 10_000, agentId: 'g1', agentsTried: ['g1'], endedAt: arrivedAt + 130_000, outcome: 'answered',
    waitSeconds: 8, waitFromArrivalSeconds: 10, survey: 'satisfied', hangupCause: 'NORMAL_CLEARING', ...extra,
  };
}

let db: MemoryRecordsDb;
let app: FastifyInstance;
let h: Harness;
let audit: AuditWriter;
let clock: ManualClock;

beforeEach(async () => {
  clock = new ManualClock(shanghai(`${DAY} 18:00`));
  db = new MemoryRecordsDb();
  await db.insertCalls([
    rec('t1', '12328', '09:00', '13812345678'),
    rec('m1', '12315', '09:30', '13987654321', { agentId: 'g2', outcome: 'abandoned', answeredAt: undefined, survey: undefined }),
    rec('h1', '12345', '10:00', '057188001234'),
    rec('t2', '12328', '11:00', '13812345678'),
  ].map((record) => ({ record, node: 'node-a' })));
  const registry = cityWithDepartments();
  h = await harness({ registry });
  audit = new AuditWriter(db, { clock, timers: clock, node: 'node-a', run: 'r1' });
  const logger = createLogger({ level: 'silent' });
  const access = accessControlFromTokens(TOKENS, { registry, logger, audit });
  app = await buildApp({ logger, health: [], plugins: [access.plugin, agentRoutes(h.acd), recordsRoutes(db, zoneOf('Asia/Shanghai'), () => clock.now())] });
});
afterEach(async () => {
  await app.close();
  await h.acd.stop();
});

const get = (url: string, who: Who) => app.inject({ url, headers: headers(who) });
type Listed = { records: { callSid: string; caller: string; node: string }[]; next: string | null };

describe('GET /api/records', () => {
  it.each([
    ['admin', 200, ['t2', 'h1', 'm1', 't1']],
    ['supervisor', 200, ['t2', 'h1', 'm1', 't1']],
    ['transport', 200, ['t2', 't1']],
    ['market', 200, ['m1']],
    ['agentG1', 403, null],
    ['none', 401, null],
  ] as const)('%s → %i', async (who, status, ids) => {
    const r = await get(`/api/records?date=${DAY}`, who);
    expect(r.statusCode).toBe(status);
    if (ids !== null) expect(r.json<Listed>().records.map((x) => x.callSid)).toEqual(ids);
  });

  it.each([
    ['admin', '13812345678'],
    ['supervisorFull', '13812345678'],
    ['supervisor', '138****5678'],
    ['transport', '138****5678'],
  ] as const)('%s sees the caller number as %s', async (who, shown) => {
    const r = await get(`/api/records?date=${DAY}&line=12328`, who);
    expect(r.json<Listed>().records.map((x) => x.caller)).toEqual([shown, shown]);
    if (shown.includes('*')) expect(r.body).not.toContain('13812345678');
  });

  it.each([
    ['admin', 200], ['supervisorFull', 200], ['supervisor', 403], ['transport', 403],
  ] as const)('search by caller number: %s → %i', async (who, status) => {
    const r = await get('/api/records?caller=13812345678', who);
    expect(r.statusCode).toBe(status);
    if (status === 200) expect(r.json<Listed>().records.map((x) => x.callSid)).toEqual(['t2', 't1']);
    else expect(r.json()).toMatchObject({ code: 'HOTLINE_ERR_FORBIDDEN' });
  });

  it('a department asking for another department\'s line gets nothing', async () => {
    expect((await get('/api/records?line=12315', 'transport')).json<Listed>().records).toEqual([]);
  });

  it('filters by queue, agent and outcome; pages with the opaque cursor', async () => {
    expect((await get('/api/records?agent=g2', 'admin')).json<Listed>().records.map((x) => x.callSid)).toEqual(['m1']);
    expect((await get('/api/records?outcome=answered&line=12345', 'admin')).json<Listed>().records.map((x) => x.callSid)).toEqual(['h1']);
    const first = (await get('/api/records?limit=3', 'admin')).json<Listed>();
    expect(first.records.map((x) => x.callSid)).toEqual(['t2', 'h1', 'm1']);
    expect(first.next).not.toBeNull();
    const second = (await get(`/api/records?limit=3&cursor=${first.next ?? ''}`, 'admin')).json<Listed>();
    expect(second).toMatchObject({ records: [{ callSid: 't1' }], next: null });
  });

  it('a time range by ISO instants, and the errors', async () => {
    const r = await get(`/api/records?from=${encodeURIComponent('2026-03-10T09:15:00+08:00')}&to=${encodeURIComponent('2026-03-10T10:30:00+08:00')}`, 'admin');
    expect(r.json<Listed>().records.map((x) => x.callSid)).toEqual(['h1', 'm1']);
    expect((await get('/api/records?date=2026-02-30', 'admin')).json()).toMatchObject({ statusCode: 400, code: 'HOTLINE_ERR_BAD_DATE' });
    expect((await get('/api/records?from=yesterday', 'admin')).json()).toMatchObject({ statusCode: 400, code: 'HOTLINE_ERR_BAD_RANGE' });
    expect((await get('/api/records?cursor=garbage', 'admin')).json()).toMatchObject({ statusCode: 400, code: 'HOTLINE_ERR_BAD_CURSOR' });
    expect((await get('/api/records?limit=5000', 'admin')).json()).toMatchObject({ statusCode: 400, code: 'HOTLINE_ERR_BAD_QUERY' });
  });

  it('CSV with a BOM for Excel, numbers masked by role, local times', async () => {
    const r = await get(`/api/records?date=${DAY}&format=csv&line=12328`, 'supervisor');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(r.body.startsWith('\uFEFFcall_sid,arrived_at,')).toBe(true);
    const rows = r.body.trim().split('\r\n');
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(/,node,fs_uuid,shed,demo$/);
    expect(rows[1]).toContain('t2,2026-03-10 11:00:00,2026-03-10 11:02:10,12328,12328,138****5678,general');
    expect(r.body).not.toContain('13812345678');
  });
});

describe('GET /api/records/:callSid', () => {
  it.each([
    ['admin', 't1', 200], ['transport', 't1', 200], ['market', 't1', 404], ['agentG1', 't1', 403], ['admin', 'nope', 404],
  ] as const)('%s %s → %i', async (who, id, status) => {
    const r = await get(`/api/records/${id}`, who);
    expect(r.statusCode).toBe(status);
    if (status === 200) expect(r.json()).toMatchObject({ callSid: id, node: 'node-a', line: '12328' });
    if (status === 404) expect(r.json()).toMatchObject({ code: 'HOTLINE_ERR_RECORD_NOT_FOUND' });
  });
});

describe('GET /api/reports/agents', () => {
  it('per agent: calls, talk time, not-ready by reason, occupancy; supervisors and admins only', async () => {
    const at = (hhmm: string) => shanghai(`${DAY} ${hhmm}`);
    const e = (id: string, hhmm: string, status: AgentStateEvent['status'], reason?: string): AgentStateEvent =>
      ({ id, agentId: 'g1', at: at(hhmm), status, node: 'a', ...(reason === undefined ? {} : { reason }) });
    await db.appendAgentEvents([
      { id: 'y', agentId: 'g1', at: shanghai('2026-03-09 17:00'), status: 'not-ready', reason: 'login', node: 'a' },
      e('1', '08:00', 'ready'), e('2', '09:00', 'on-call'), e('3', '09:10', 'wrap-up'), e('4', '09:12', 'ready'),
      e('5', '10:00', 'not-ready', 'break'), e('6', '10:30', 'ready'), e('7', '11:00', 'on-call'), e('8', '11:20', 'ready'),
      e('9', '12:00', 'logged-out'),
    ]);
    for (const who of ['agentG1', 'transport'] as const) expect((await get(`/api/reports/agents?date=${DAY}`, who)).statusCode).toBe(403);
    const r = await get(`/api/reports/agents?date=${DAY}&agent=g1`, 'supervisor');
    expect(r.statusCode).toBe(200);
    const [g1] = r.json<{ agents: Record<string, unknown>[] }>().agents;
    // 00:00–08:00 not-ready (login) from yesterday's last event; on-call 10 + 20 min; wrap-up 2 min;
    // ready 60 + 48 + 30 + 40 = 178 min; occupancy (30 + 2) / (32 + 178)
    expect(g1).toEqual({
      agentId: 'g1', callsAnswered: 3, talkSeconds: 1800, wrapUpSeconds: 120, readySeconds: 178 * 60, ringingSeconds: 0,
      notReadySeconds: 8 * 3600 + 1800, notReadyByReason: { login: 8 * 3600, break: 1800 },
      loggedInSeconds: 8 * 3600 + 1800 + 32 * 60 + 178 * 60, occupancy: Math.round((32 / 210) * 1000) / 1000, averageTalkSeconds: 600,
    });
    expect((await get('/api/reports/agents?date=nope', 'admin')).json()).toMatchObject({ code: 'HOTLINE_ERR_BAD_DATE' });
  });
});

describe('audit', () => {
  it('every change through the API is in the audit log (who, what, when, result); only admins read it', async () => {
    expect((await app.inject({ method: 'POST', url: '/api/agents/g1/login', headers: headers('agentG1') })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/api/agents/g2/login', headers: headers('admin') })).statusCode).toBe(200);
    await get(`/api/records?date=${DAY}`, 'admin'); // a read is not a change
    await audit.drained();
    for (const who of ['supervisor', 'agentG1', 'transport'] as const) expect((await get('/api/audit', who)).statusCode).toBe(403);
    const r = await get('/api/audit?limit=1', 'admin');
    expect(r.statusCode).toBe(200);
    const page = r.json<{ entries: Record<string, unknown>[]; next: string | null }>();
    expect(page.entries).toHaveLength(1);
    const rest = (await get(`/api/audit?limit=10&cursor=${page.next ?? ''}`, 'admin')).json<{ entries: Record<string, unknown>[] }>().entries;
    const all = [...page.entries, ...rest];
    expect(all.map((x) => [x.actor, x.role, x.action, x.target, x.result]).sort()).toEqual([
      ['desk-g1', 'agent', 'POST /api/agents/:id/login', '/api/agents/g1/login', '200'],
      ['ops-admin', 'admin', 'POST /api/agents/:id/login', '/api/agents/g2/login', '200'],
    ]);
    expect(all[0]?.at).toBe(new Date(clock.now()).toISOString());
  });
});
