import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/adapters/http/app.js';
import { accessControlFromTokens } from '../../../src/adapters/http/auth/index.js';
import { transferRoutes } from '../../../src/adapters/http/routes/transfers.js';
import { AnyNodeTransfers, TransferCounters, TransferService } from '../../../src/app/transfer/index.js';
import { buildTransferDirectory } from '../../../src/core/transfer/index.js';
import { createLogger } from '../../../src/lib/logger.js';
import { ManualClock, settle } from '../../support/manual-clock.js';
import { shanghai } from '../../support/registry-builder.js';
import { FakeCalls, FakeControl, FakeWorkOrders } from './fake-ports.js';
import { transferRegistry } from './fixtures.js';

let app: FastifyInstance;
let control: FakeControl;
let clock: ManualClock;
let svc: TransferService;

const logger = createLogger({ level: 'silent' });
const ADMIN = 'admin-token-0123456789';
const AGENT = 'agent-1001-token-0123';
const OTHER = 'agent-1002-token-0123';

async function build(withAccess: boolean): Promise<void> {
  clock = new ManualClock(shanghai('2026-03-03 10:00'));
  control = new FakeControl();
  const calls = new FakeCalls();
  calls.add({ callSid: 'c1', agentId: '1001' });
  calls.add({ callSid: 'c2', agentId: '1001' });
  const registry = transferRegistry();
  svc = new TransferService({ directory: buildTransferDirectory(registry), control, calls, workOrders: new FakeWorkOrders(), metrics: new TransferCounters(), clock, logger });
  const access = accessControlFromTokens([
    { token: ADMIN, role: 'admin', name: 'admin' },
    { token: AGENT, role: 'agent', agentId: '1001', name: 'zhang' },
    { token: OTHER, role: 'agent', agentId: '1002', name: 'li' },
  ], { registry, logger });
  app = await buildApp({ logger, health: [], plugins: [...(withAccess ? [access.plugin] : []), transferRoutes(new AnyNodeTransfers({ local: svc, calls, logger }))] });
}

const post = (url: string, payload?: object, token = ADMIN) =>
  app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}` }, ...(payload === undefined ? {} : { payload }) });

afterEach(async () => { await app.close(); });

describe('transfer API', () => {
  beforeEach(async () => { await build(true); });

  it('GET /api/transfer-targets: every target, open or closed now', async () => {
    clock.advanceTo(shanghai('2026-03-03 18:00'));
    const r = await app.inject({ url: '/api/transfer-targets', headers: { authorization: `Bearer ${AGENT}` } });
    expect(r.statusCode).toBe(200);
    expect(r.json<{ targets: unknown[] }>().targets).toEqual([
      { id: '12366', kind: 'subcenter', name: '纳税服务热线', number: '12366', open: false, why: 'tue 09:00–17:00' },
      { id: 'police', kind: 'emergency', name: '110 报警', number: '110', open: true, why: 'emergency line, always open' },
      { id: 'fire', kind: 'emergency', name: '119 火警', number: '119', open: true, why: 'emergency line, always open' },
      { id: 'huzhou', kind: 'region', name: '湖州12345', number: '057212345', open: true, why: 'always open' },
    ]);
  });

  it('consult → three-way → complete, then a second transfer is 409 HOTLINE_ERR_TRANSFER_LIMIT', async () => {
    const s = await post('/api/calls/c1/transfer', { target: '12366' }, AGENT);
    expect(s.statusCode).toBe(200);
    expect(s.json()).toMatchObject({ callSid: 'c1', phase: 'consulting', current: { target: '12366', kind: 'subcenter' } });
    control.dials[0]?.settle({ kind: 'answered' });
    await settle();
    expect((await post('/api/calls/c1/transfer/three-way', undefined, AGENT)).json()).toMatchObject({ phase: 'three-way' });
    expect((await post('/api/calls/c1/transfer/complete', undefined, AGENT)).json()).toMatchObject({ phase: 'completed', legs: [{ outcome: 'completed' }] });
    const again = await post('/api/calls/c1/transfer', { target: 'huzhou' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ statusCode: 409, code: 'HOTLINE_ERR_TRANSFER_LIMIT', error: 'Conflict' });
    expect((await app.inject({ url: '/api/calls/c1/transfer', headers: { authorization: `Bearer ${ADMIN}` } })).json()).toMatchObject({ phase: 'completed' });
  });

  it('cancel returns to the caller', async () => {
    await post('/api/calls/c1/transfer', { target: 'police' });
    const r = await post('/api/calls/c1/transfer/cancel');
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ phase: 'idle', legs: [{ target: 'police', outcome: 'cancelled' }] });
  });

  it('409 HOTLINE_ERR_TARGET_CLOSED with the schedule reason', async () => {
    clock.advanceTo(shanghai('2026-10-02 10:00'));
    const r = await post('/api/calls/c1/transfer', { target: '12366' });
    expect(r.statusCode).toBe(409);
    expect(r.json()).toEqual({ statusCode: 409, code: 'HOTLINE_ERR_TARGET_CLOSED', error: 'Conflict', message: 'sub-center 纳税服务热线 (12366) is closed now: 国庆节 holiday' });
  });

  it('404 unknown call / target, 409 no transfer under way, 400 schema errors', async () => {
    expect((await post('/api/calls/nope/transfer', { target: '12366' })).json()).toMatchObject({ statusCode: 404, code: 'HOTLINE_ERR_UNKNOWN_CALL' });
    expect((await post('/api/calls/c1/transfer', { target: '999' })).json()).toMatchObject({ statusCode: 404, code: 'HOTLINE_ERR_UNKNOWN_TARGET' });
    expect((await post('/api/calls/c2/transfer/three-way')).json()).toMatchObject({ statusCode: 409, code: 'HOTLINE_ERR_TRANSFER_STATE' });
    expect((await post('/api/calls/nope/transfer/complete')).json()).toMatchObject({ statusCode: 404, code: 'HOTLINE_ERR_UNKNOWN_CALL' });
    for (const body of [{}, { target: '' }, { target: 'a b' }, { target: '12366', extra: 1 }]) {
      const r = await post('/api/calls/c1/transfer', body);
      expect(r.statusCode).toBe(400);
      expect(r.json()).toMatchObject({ code: 'FST_ERR_VALIDATION' });
    }
    expect((await post('/api/calls/c%20x/transfer', { target: '12366' })).statusCode).toBe(400);
  });

  it('502 HOTLINE_ERR_TRANSFER_FAILED when FreeSWITCH refuses', async () => {
    control.failEnter = new Error('-ERR No such channel!');
    expect((await post('/api/calls/c1/transfer', { target: '12366' })).json()).toMatchObject({ statusCode: 502, code: 'HOTLINE_ERR_TRANSFER_FAILED' });
  });

  it('access: no token 401; an agent only on its own calls', async () => {
    expect((await app.inject({ method: 'POST', url: '/api/calls/c1/transfer', payload: { target: '110' } })).statusCode).toBe(401);
    const other = await post('/api/calls/c1/transfer', { target: '110' }, OTHER);
    expect(other.statusCode).toBe(403);
    expect(other.json()).toMatchObject({ code: 'HOTLINE_ERR_FORBIDDEN' });
    expect(control.log).toEqual([]);
  });
});

describe('transfer API without the access plugin', () => {
  beforeEach(async () => { await build(false); });
  it('works (tests, embedded use)', async () => {
    expect((await app.inject({ method: 'POST', url: '/api/calls/c1/transfer', payload: { target: '110' } })).statusCode).toBe(200);
  });
});
