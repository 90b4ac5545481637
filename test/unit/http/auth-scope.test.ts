/**
 * What a request may see once it is let in: an agent only itself, a department only its own
 * lines' callers, callers' numbers in full only for admin and entitled supervisors; and what the
 * logs say about refusals and changes (never the token).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { closeFixture, fixture, headers, T, type Fixture, type Who } from './auth-fixture.js';

let f: Fixture;
beforeEach(async () => { f = await fixture(); });
afterEach(async () => { await closeFixture(f); });

const get = (app: FastifyInstance, url: string, who: Who) => app.inject({ url, headers: headers(who) });
const post = (app: FastifyInstance, url: string, who: Who) => app.inject({ method: 'POST', url, headers: headers(who) });

async function threeCallers(): Promise<void> {
  await f.h.call('c1', 'general', { line: '12328', caller: '13812345678' });
  await f.h.call('c2', 'general', { line: '12315', caller: '13987654321' });
  await f.h.call('c3', 'general', { line: '12345', caller: '057188001234' });
}

describe('department scope', () => {
  it.each([
    ['transport', ['c1']],
    ['market', []],
    ['admin', ['c1', 'c3']],
  ] as const)('%s sees the waiting callers it may see (departments: own lines only)', async (who, expected) => {
    await f.h.call('c1', 'general', { line: '12328', caller: '13812345678' });
    await f.h.call('c3', 'general', { line: '12345' });
    const r = await get(f.app, '/api/calls/waiting', who);
    expect(r.statusCode).toBe(200);
    expect(r.json<{ calls: { callId: string }[] }>().calls.map((c) => c.callId)).toEqual(expected);
  });

  it('a market token sees 12315 and never 12328 or 12345', async () => {
    await threeCallers();
    const calls = (await get(f.app, '/api/calls/waiting', 'market')).json<{ calls: { line: string }[] }>().calls;
    expect(calls.map((c) => c.line)).toEqual(['12315']);
  });
});

describe('caller numbers by role', () => {
  it.each([
    ['admin', ['13812345678', '13987654321', '057188001234']],
    ['supervisorFull', ['13812345678', '13987654321', '057188001234']],
    ['supervisor', ['138****5678', '139****4321', '057*****1234']],
    ['transport', ['138****5678']],
  ] as const)('%s', async (who, expected) => {
    await threeCallers();
    const r = await get(f.app, '/api/calls/waiting', who);
    expect(r.json<{ calls: { caller: string }[] }>().calls.map((c) => c.caller)).toEqual(expected);
    if (who === 'supervisor' || who === 'transport') expect(r.body).not.toContain('13812345678');
  });
});

describe('agent-self', () => {
  it('an agent token drives its own desk and nobody else\'s', async () => {
    expect((await post(f.app, '/api/agents/g1/login', 'agentG1')).statusCode).toBe(200);
    expect((await post(f.app, '/api/agents/g1/ready', 'agentG1')).json()).toMatchObject({ id: 'g1', status: 'ready' });
    expect((await get(f.app, '/api/agents/g1', 'agentG1')).json()).toMatchObject({ id: 'g1', status: 'ready' });
    for (const url of ['/api/agents/g2/login', '/api/agents/g2/logout']) {
      expect((await post(f.app, url, 'agentG1')).statusCode).toBe(403);
    }
    expect((await get(f.app, '/api/agents/g2', 'agentG1')).statusCode).toBe(403);
    expect((await get(f.app, '/api/agents', 'agentG1')).statusCode).toBe(403);
    // g2 untouched by the refused calls
    expect((await get(f.app, '/api/agents/g2', 'admin')).json()).toMatchObject({ status: 'logged-out' });
  });

  it('a malformed or mixed-case id is not the agent\'s own', async () => {
    expect((await post(f.app, '/api/agents/G1/login', 'agentG1')).statusCode).toBe(403);
    expect((await post(f.app, '/api/agents/g1%2F..%2Fg2/login', 'agentG1')).statusCode).toBe(403);
  });
});

describe('how the token is presented', () => {
  it('accepts the Bearer scheme case-insensitively and refuses other schemes', async () => {
    expect((await f.app.inject({ url: '/api/queues', headers: { authorization: `bearer ${T.admin}` } })).statusCode).toBe(200);
    const basic = await f.app.inject({ url: '/api/queues', headers: { authorization: `Basic ${T.admin}` } });
    expect(basic.statusCode).toBe(401);
    expect(basic.headers['www-authenticate']).toContain('invalid_token');
  });

  it('?token= is refused on routes that do not opt in (it would end up in logs and history)', async () => {
    expect((await f.app.inject({ url: `/api/queues?token=${T.admin}` })).statusCode).toBe(401);
  });
});

describe('logs', () => {
  it('a refusal is logged with route, role and reason, never the token', async () => {
    await post(f.app, '/api/agents/g2/login', 'agentG1');
    await get(f.app, '/api/agents', 'bogus');
    const refusals = f.logs.filter((l) => l.msg === 'access refused');
    expect(refusals).toEqual([
      expect.objectContaining({ component: 'access', route: '/api/agents/:id/login', method: 'POST', role: 'agent', actor: 'desk-g1', status: 403, reason: 'agent token used for another agent' }),
      expect.objectContaining({ component: 'access', route: '/api/agents', method: 'GET', role: null, status: 401, reason: 'unknown token' }),
    ]);
    const all = JSON.stringify(f.logs);
    expect(all).not.toContain(T.agentG1);
    expect(all).not.toContain('not-a-known-token-at-all');
  });

  it('every change is audited: actor, role, action, target, at — and reads are not', async () => {
    await post(f.app, '/api/agents/g1/login', 'supervisor');
    await post(f.app, '/api/agents/g1/ready', 'agentG1');
    await get(f.app, '/api/agents/g1', 'admin');
    const audit = f.logs.filter((l) => l.component === 'audit');
    expect(audit).toEqual([
      expect.objectContaining({ msg: 'audit', actor: 'shift-lead', role: 'supervisor', action: 'POST /api/agents/:id/login', target: '/api/agents/g1/login', status: 200 }),
      expect.objectContaining({ msg: 'audit', actor: 'desk-g1', role: 'agent', action: 'POST /api/agents/:id/ready', target: '/api/agents/g1/ready', status: 200 }),
    ]);
    for (const line of audit) expect(new Date(String(line.at)).toISOString()).toBe(line.at);
    expect(JSON.stringify(f.logs)).not.toContain(T.supervisor);
  });
});
