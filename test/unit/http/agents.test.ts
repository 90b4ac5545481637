import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/adapters/http/app.js';
import { agentRoutes } from '../../../src/adapters/http/routes/agents.js';
import { queueRoutes } from '../../../src/adapters/http/routes/queues.js';
import { createLogger } from '../../../src/lib/logger.js';
import { assigned, harness, type Harness } from '../acd-service/harness.js';

let h: Harness;
let app: FastifyInstance;

beforeEach(async () => {
  h = await harness();
  app = await buildApp({
    logger: createLogger({ level: 'silent' }), health: [],
    plugins: [agentRoutes(h.acd), queueRoutes(h.acd)],
  });
});
afterEach(async () => {
  await app.close();
  await h.acd.stop();
});

const post = (url: string, payload?: object) => app.inject({ method: 'POST', url, ...(payload === undefined ? {} : { payload }) });

describe('agent API', () => {
  it('GET /api/agents lists every registry agent with its state', async () => {
    const r = await app.inject({ url: '/api/agents' });
    expect(r.statusCode).toBe(200);
    expect(r.json<{ agents: { id: string; status: string }[] }>().agents.map((a) => [a.id, a.status])).toEqual([
      ['b1', 'logged-out'], ['g1', 'logged-out'], ['g2', 'logged-out'], ['p1', 'logged-out'],
    ]);
  });

  it('GET /api/agents/:id shows one agent; unknown → 404 HOTLINE_ERR_UNKNOWN_AGENT', async () => {
    const ok = await app.inject({ url: '/api/agents/g1' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ id: 'g1', name: '张敏', dial: 'user/1001', queues: ['general'], status: 'logged-out' });
    const missing = await app.inject({ url: '/api/agents/nobody' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({
      statusCode: 404, code: 'HOTLINE_ERR_UNKNOWN_AGENT', error: 'Not Found', message: 'no agent "nobody"',
    });
  });

  it('login, ready, not-ready, logout', async () => {
    expect((await post('/api/agents/g1/login')).json()).toMatchObject({ status: 'not-ready', reason: 'login' });
    expect((await post('/api/agents/g1/ready')).json()).toMatchObject({ status: 'ready' });
    const nr = await post('/api/agents/g1/not-ready', { reason: 'training' });
    expect(nr.statusCode).toBe(200);
    expect(nr.json()).toMatchObject({ status: 'not-ready', reason: 'training' });
    expect((await post('/api/agents/g1/logout')).json()).toMatchObject({ status: 'logged-out' });
  });

  it('ready offers a waiting caller at once', async () => {
    await post('/api/agents/g1/login');
    await h.call('c1');
    await post('/api/agents/g1/ready');
    expect(assigned(h, 'c1')).toEqual(['g1']);
    expect((await app.inject({ url: '/api/agents/g1' })).json()).toMatchObject({ status: 'ringing', callId: 'c1', queueId: 'general' });
  });

  it.each(['login', 'ready', 'logout'])('POST /api/agents/nobody/%s → 404', async (op) => {
    const r = await post(`/api/agents/nobody/${op}`);
    expect(r.statusCode).toBe(404);
    expect(r.json<{ code: string }>().code).toBe('HOTLINE_ERR_UNKNOWN_AGENT');
  });

  it('illegal transitions → 409 HOTLINE_ERR_AGENT_STATE with the current state', async () => {
    const r = await post('/api/agents/g1/ready');
    expect(r.statusCode).toBe(409);
    expect(r.json()).toEqual({
      statusCode: 409, code: 'HOTLINE_ERR_AGENT_STATE', error: 'Conflict',
      message: 'agent g1 cannot ready while logged-out', state: 'logged-out',
    });
    await post('/api/agents/g1/login');
    expect((await post('/api/agents/g1/login')).json()).toMatchObject({ statusCode: 409, state: 'not-ready' });
  });

  it('logout while ringing → 409 (state ringing)', async () => {
    await post('/api/agents/g1/login');
    await post('/api/agents/g1/ready');
    await h.call('c1');
    await h.acd.idle();
    const r = await post('/api/agents/g1/logout');
    expect(r.statusCode).toBe(409);
    expect(r.json()).toMatchObject({ code: 'HOTLINE_ERR_AGENT_STATE', state: 'ringing' });
  });

  it.each([
    ['/api/agents/g1/not-ready', undefined, /body must be object|must have required property 'reason'/],
    ['/api/agents/g1/not-ready', {}, /must have required property 'reason'/],
    ['/api/agents/g1/not-ready', { reason: 'lunch' }, /must be equal to one of the allowed values/],
    ['/api/agents/g1/not-ready', { reason: 'break', note: 'x' }, /must NOT have additional properties/],
    ['/api/agents/bad%20id/login', undefined, /must match pattern/],
  ])('400 with the schema error: POST %s %j', async (url, payload, message) => {
    const r = await post(url, payload);
    expect(r.statusCode).toBe(400);
    const body = r.json<{ statusCode: number; code: string; message: string }>();
    expect(body).toMatchObject({ statusCode: 400, code: 'FST_ERR_VALIDATION', error: 'Bad Request' });
    expect(body.message).toMatch(message);
  });

  it('GET /api/agents/:id with a malformed id → 400', async () => {
    const r = await app.inject({ url: `/api/agents/${'x'.repeat(40)}` });
    expect(r.statusCode).toBe(400);
    expect(r.json<{ code: string }>().code).toBe('FST_ERR_VALIDATION');
  });
});

describe('queue board API', () => {
  it('GET /api/queues: waiting, oldest wait, agents by state', async () => {
    await post('/api/agents/g1/login');
    await h.call('c1');
    await h.clock.tick(42_000);
    const r = await app.inject({ url: '/api/queues' });
    expect(r.statusCode).toBe(200);
    const queues = r.json<{ queues: { id: string }[] }>().queues;
    expect(queues.map((q) => q.id)).toEqual(['general', 'backup', 'pool']);
    expect(queues[0]).toMatchObject({
      id: 'general', open: true, waiting: 1, oldestWaitSeconds: 42, agents: { 'not-ready': 1, 'logged-out': 1 },
    });
  });

  it('GET /api/calls/waiting: line, queue, position, waited seconds; caller numbers masked', async () => {
    await post('/api/agents/g1/login');
    await h.call('c1', 'general', { line: '12328', caller: '13812345678' });
    await h.clock.tick(7_000);
    await h.call('c2');
    const r = await app.inject({ url: '/api/calls/waiting' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({
      calls: [
        { callId: 'c1', queueId: 'general', line: '12328', caller: '138****5678', position: 1, priority: 0, waitedSeconds: 7 },
        { callId: 'c2', queueId: 'general', line: '12345', caller: null, position: 2, priority: 0, waitedSeconds: 0 },
      ],
    });
    expect(r.body).not.toContain('13812345678');
  });
});
