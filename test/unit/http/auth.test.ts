/**
 * Every endpoint × every role → the status the route's access declaration promises, through the
 * real plugins with inject(). 'ok' rows assert the handler ran (its own status), refusals the
 * stable error bodies.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeFixture, fixture, headers, type Fixture, type Who } from './auth-fixture.js';

type Expect = 'ok' | 401 | 403;
interface Row { method: 'GET' | 'POST'; url: string; payload?: object; okStatus: number; allow: readonly Who[] }

const ROLES: readonly Who[] = ['admin', 'supervisor', 'supervisorFull', 'agentG1', 'transport', 'none', 'bogus'];
const ROWS: readonly Row[] = [
  { method: 'GET', url: '/health', okStatus: 200, allow: ROLES },
  { method: 'GET', url: '/api/route?to=12345', okStatus: 200, allow: ['admin', 'supervisor', 'supervisorFull'] },
  { method: 'GET', url: '/api/agents', okStatus: 200, allow: ['admin', 'supervisor', 'supervisorFull'] },
  { method: 'GET', url: '/api/agents/g1', okStatus: 200, allow: ['admin', 'supervisor', 'supervisorFull', 'agentG1'] },
  { method: 'GET', url: '/api/agents/g2', okStatus: 200, allow: ['admin', 'supervisor', 'supervisorFull'] },
  { method: 'POST', url: '/api/agents/g1/login', okStatus: 200, allow: ['admin', 'supervisor', 'supervisorFull', 'agentG1'] },
  { method: 'POST', url: '/api/agents/g1/ready', okStatus: 409, allow: ['admin', 'supervisor', 'supervisorFull', 'agentG1'] },
  { method: 'POST', url: '/api/agents/g1/not-ready', payload: { reason: 'break' }, okStatus: 409, allow: ['admin', 'supervisor', 'supervisorFull', 'agentG1'] },
  { method: 'POST', url: '/api/agents/g1/logout', okStatus: 409, allow: ['admin', 'supervisor', 'supervisorFull', 'agentG1'] },
  { method: 'POST', url: '/api/agents/g2/login', okStatus: 200, allow: ['admin', 'supervisor', 'supervisorFull'] },
  { method: 'GET', url: '/api/queues', okStatus: 200, allow: ['admin', 'supervisor', 'supervisorFull', 'agentG1'] },
  { method: 'GET', url: '/api/calls/waiting', okStatus: 200, allow: ['admin', 'supervisor', 'supervisorFull', 'transport'] },
  // No route at all: admin-only by default, so the 404 is only told to a valid admin.
  { method: 'GET', url: '/api/nothing-here', okStatus: 404, allow: ['admin'] },
];

const cases = ROWS.flatMap((row) => ROLES.map((who) => {
  const expected: Expect = row.allow.includes(who) ? 'ok' : who === 'none' || who === 'bogus' ? 401 : 403;
  return { ...row, who, expected };
}));

describe('access matrix', () => {
  let f: Fixture;
  beforeEach(async () => { f = await fixture(); });
  afterEach(async () => { await closeFixture(f); });

  it.each(cases)('$method $url as $who → $expected', async ({ method, url, payload, okStatus, who, expected }) => {
    const r = await f.app.inject({ method, url, headers: headers(who), ...(payload ? { payload } : {}) });
    if (expected === 'ok') {
      expect(r.statusCode).toBe(okStatus);
      return;
    }
    expect(r.statusCode).toBe(expected);
    if (expected === 401) {
      expect(r.json()).toMatchObject({ statusCode: 401, code: 'HOTLINE_ERR_UNAUTHENTICATED', error: 'Unauthorized' });
      expect(r.headers['www-authenticate']).toMatch(/^Bearer realm="hotline-router"/);
      if (who === 'bogus') expect(r.headers['www-authenticate']).toContain('error="invalid_token"');
    } else {
      expect(r.json()).toMatchObject({ statusCode: 403, code: 'HOTLINE_ERR_FORBIDDEN', error: 'Forbidden' });
    }
  });
});
