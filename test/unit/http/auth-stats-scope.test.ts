/**
 * The stats routes' side of access: a department's snapshot holds its lines only, with a total
 * recomputed from them; `?token=` works only on routes that opt in and only for reads.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/adapters/http/app.js';
import { STATS_ACCESS, accessControlFromTokens, mergeLineKpis, snapshotFor } from '../../../src/adapters/http/auth/index.js';
import type { StatsSnapshot } from '../../../src/app/metrics/stats-model.js';
import { createLogger } from '../../../src/lib/logger.js';
import { citySnapshot } from '../../e2e/board-fixture.js';
import { T, TOKENS, cityWithDepartments } from './auth-fixture.js';

let app: FastifyInstance | undefined;
afterEach(async () => { await app?.close(); app = undefined; });

async function statsApp(snapshot: StatsSnapshot): Promise<FastifyInstance> {
  const logger = createLogger({ level: 'silent' });
  const access = accessControlFromTokens(TOKENS, { registry: cityWithDepartments(), logger });
  return buildApp({
    logger, health: [],
    plugins: [access.plugin, async (a) => {
      a.get('/api/stats', { config: { access: STATS_ACCESS } }, (req) => snapshotFor(req, snapshot));
      a.post('/api/stats', { config: { access: STATS_ACCESS } }, () => ({ changed: true }));
      a.get('/api/echo-url', { config: { access: STATS_ACCESS } }, (req) => ({ url: req.url, query: req.query }));
      await Promise.resolve();
    }],
  });
}

describe('department snapshot', () => {
  it('holds its own lines, no queues, agents or hours, and a total from those lines', async () => {
    app = await statsApp(citySnapshot());
    const r = await app.inject({ url: '/api/stats', headers: { authorization: `Bearer ${T.transport}` } });
    expect(r.statusCode).toBe(200);
    const s = r.json<StatsSnapshot & { scope: unknown }>();
    expect(s.scope).toEqual({ department: 'transport', lines: ['12328'] });
    expect(s.lines.map((l) => l.line)).toEqual(['12328']);
    expect(s.queues).toEqual([]);
    expect(s.hourly).toEqual([]);
    expect(s.agents.total).toBe(0);
    expect(s.total.answerRate).toMatchObject({ numerator: 255, denominator: 300 });
    expect(r.body).not.toContain('12315');
  });

  it('a supervisor gets the whole snapshot unchanged', async () => {
    const snapshot = citySnapshot();
    app = await statsApp(snapshot);
    const r = await app.inject({ url: '/api/stats', headers: { authorization: `Bearer ${T.supervisor}` } });
    expect(r.json()).toEqual(JSON.parse(JSON.stringify(snapshot)));
  });

  it('merging lines: counts add up, rates by the line definitions, ASA weighted by answered calls', () => {
    const [a, b] = citySnapshot().lines.filter((l) => l.line === '12328' || l.line === '12315');
    const total = mergeLineKpis([a!, b!]);
    expect(total.counts.answered).toBe(a!.counts.answered + b!.counts.answered);
    expect(total.answerRate.value).toBeCloseTo((255 + 199) / (300 + 210));
    expect(total.wait).toEqual({ asa: 11.4, p50: null, p90: null });
    expect(mergeLineKpis([]).answerRate.value).toBeNull();
  });
});

describe('?token= on a route that opts in', () => {
  it('is cut from the request URL once read (error logs serialize the URL)', async () => {
    app = await statsApp(citySnapshot());
    const r = await app.inject({ url: `/api/echo-url?a=1&token=${T.supervisor}&b=2` });
    expect(r.json<{ url: string }>().url).toBe('/api/echo-url?a=1&b=2');
  });

  it('reads with it; changes never (a token in a URL must not authorise a change)', async () => {
    app = await statsApp(citySnapshot());
    expect((await app.inject({ url: `/api/stats?token=${T.supervisor}` })).statusCode).toBe(200);
    expect((await app.inject({ url: `/api/stats?token=${T.agentG1}` })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: `/api/stats?token=${T.admin}` })).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: '/api/stats', headers: { authorization: `Bearer ${T.admin}` } })).statusCode).toBe(200);
  });
});
