import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp, type ComponentState } from '../../../src/adapters/http/app.js';
import { dryRunRoutes } from '../../../src/adapters/http/routes/dry-run.js';
import { loadRegistryFile } from '../../../src/config/load.js';
import { buildRoutingTable } from '../../../src/core/routing/index.js';
import { createLogger } from '../../../src/lib/logger.js';

let app: FastifyInstance;
let eslState: ComponentState = 'ok';

beforeAll(async () => {
  const loaded = await loadRegistryFile('config/hotline.example.yaml');
  if (!loaded.ok) throw new Error('example registry must load');
  const table = buildRoutingTable(loaded.registry);
  app = await buildApp({
    logger: createLogger({ level: 'silent' }),
    health: [{ name: 'esl', check: () => ({ state: eslState }) }],
    plugins: [dryRunRoutes(() => table, () => Date.parse('2026-02-16T02:00:00Z'))],
  });
});
afterAll(async () => { await app.close(); });

describe('GET /health', () => {
  it('is 200 while every component is up and 503 when one is down', async () => {
    eslState = 'ok';
    const ok = await app.inject({ url: '/health' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ status: 'ok', components: { esl: { state: 'ok' } } });
    eslState = 'down';
    const down = await app.inject({ url: '/health' });
    expect(down.statusCode).toBe(503);
    expect(down.json<{ status: string }>().status).toBe('down');
  });
});

describe('GET /api/route (dry-run)', () => {
  it('explains a decision at the given instant', async () => {
    const r = await app.inject({ url: '/api/route?to=12366&at=2026-02-14T01:00:00Z' });
    expect(r.statusCode).toBe(200);
    const body = r.json<{ decision: { kind: string; explanation: string[] } }>();
    expect(body.decision.kind).toBe('subcenter');
    expect(body.decision.explanation.join(' ')).toMatch(/调休/);
  });

  it('uses the clock port when no instant is given', async () => {
    const r = await app.inject({ url: '/api/route?to=12366' });
    expect(r.json<{ at: string; decision: { kind: string } }>()).toMatchObject({
      at: '2026-02-16T02:00:00.000Z', decision: { kind: 'queue' },
    });
  });

  it.each([
    ['/api/route', /must have required property 'to'/],
    ['/api/route?to=12345&at=yesterday', /must match format "date-time"/],
    ['/api/route?to=12345&via=x', /must NOT have additional properties/],
  ])('400 with the schema error for %s', async (url, message) => {
    const r = await app.inject({ url });
    expect(r.statusCode).toBe(400);
    const body = r.json<{ code: string; message: string }>();
    expect(body.code).toBe('FST_ERR_VALIDATION');
    expect(body.message).toMatch(message);
  });
});
