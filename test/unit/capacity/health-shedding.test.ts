/**
 * /health while the node sheds: the overall status says degraded (HTTP 200: the node still
 * works, it is just turning new calls away), through the same capacity wiring `serve` uses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/adapters/http/app.js';
import { wireCapacity, type Capacity } from '../../../src/compose/capacity.js';
import { createLogger } from '../../../src/lib/logger.js';
import { settingsFromEnv } from '../../../src/settings/settings.js';

let now = 1_000_000;
let capacity: Capacity;
let app: FastifyInstance;

beforeAll(async () => {
  const logger = createLogger({ level: 'silent' });
  capacity = wireCapacity(settingsFromEnv({ SHED_CALLS_PER_SECOND: '2', SHED_EVENT_LOOP_DELAY_MS: '0' }), { now: () => now }, logger);
  app = await buildApp({ logger, health: [{ name: 'calls', check: () => ({ state: 'ok' }) }, capacity.health] });
});
afterAll(async () => {
  capacity.close();
  await app.close();
});

interface Health { status: string; components: Record<string, { state: string; detail?: string }> }

describe('GET /health while shedding', () => {
  it('says degraded overall (200) while the node sheds and after, then ok again', async () => {
    const before = await app.inject({ url: '/health' });
    expect(before.statusCode).toBe(200);
    expect(before.json<Health>().status).toBe('ok');

    expect(capacity.shedder.decide().accept).toBe(true);
    expect(capacity.shedder.decide().accept).toBe(true);
    expect(capacity.shedder.decide()).toMatchObject({ accept: false, reason: 'calls-per-second' });
    const shedding = await app.inject({ url: '/health' });
    expect(shedding.statusCode).toBe(200);
    expect(shedding.json<Health>()).toMatchObject({
      status: 'degraded',
      components: { calls: { state: 'ok' }, capacity: { state: 'degraded', detail: expect.stringMatching(/^shedding new calls: 2 calls accepted in the last second, mark 2; 1 shed$/) as unknown } },
    });

    // Past the calls/s window the mark is clear, but a call was shed 2 s ago: still degraded.
    now += 2_000;
    expect((await app.inject({ url: '/health' })).json<Health>()).toMatchObject({ status: 'degraded', components: { capacity: { detail: expect.stringMatching(/^shed a call 2 s ago/) as unknown } } });
    now += 10_000;
    const after = await app.inject({ url: '/health' });
    expect(after.json<Health>()).toMatchObject({ status: 'ok', components: { capacity: { state: 'ok' } } });
  });
});
