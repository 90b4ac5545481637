/** The composition root's transfer wiring: DTMF events reach the service; no inbound ESL → 503. */
import { EventEmitter } from 'node:events';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import type { FsEvent } from '../../../src/adapters/esl/codec/types.js';
import type { BgapiResult } from '../../../src/adapters/esl/index.js';
import { TransferCounters } from '../../../src/app/transfer/index.js';
import { MemoryLiveCalls } from '../../../src/adapters/store/memory/index.js';
import { NodeTimers } from '../../../src/adapters/timers/index.js';
import { trackLiveCalls, wireTransfers } from '../../../src/compose/transfers.js';
import { createLogger } from '../../../src/lib/logger.js';
import { FakeCalls } from './fake-ports.js';
import { transferRegistry } from './fixtures.js';

class FakeInbound extends EventEmitter {
  readonly sent: string[] = [];
  api(command: string): Promise<string> { this.sent.push(command); return Promise.resolve('+OK'); }
  bgapi(command: string): Promise<BgapiResult> { this.sent.push(`bg ${command}`); return new Promise(() => undefined); }
}

const dtmf = (uuid: string, digit: string): FsEvent => ({ name: 'DTMF', headers: { 'Unique-ID': uuid, 'DTMF-Digit': digit } });
/** The sub-center open around the clock, whatever the time the test runs at. */
function openRegistry() {
  const registry = transferRegistry();
  registry.lines = registry.lines.map((l) => (l.mode === 'subcenter' ? { ...l, subcenter: { ...l.subcenter, schedule: '24x7' } } : l));
  return registry;
}
const clock = { now: () => Date.now() };
const logger = createLogger({ level: 'silent' });
function live() {
  const directory = new MemoryLiveCalls();
  const { tracker } = trackLiveCalls({ acd: {} as never, directory, nodeId: undefined, call: () => undefined, logger });
  return { directory, tracker, timers: new NodeTimers(clock) };
}
const deps = { registry: openRegistry(), calls: new FakeCalls(), metrics: new TransferCounters(), workOrders: undefined, clock, logger, live: live() };

describe('wireTransfers', () => {
  it('an agent leg typing *1 12366 # starts a consult over the inbound ESL; close() stops listening', async () => {
    const inbound = new FakeInbound();
    const calls = new FakeCalls();
    calls.add({ callSid: 'c1' });
    const wired = await wireTransfers({ ...deps, calls, inbound: { links: [{ name: 'freeswitch', client: inbound }], holding: () => ({ name: 'freeswitch' }) } });
    for (const d of '*112366#') inbound.emit('event', dtmf('c1-agent', d));
    await new Promise((r) => setTimeout(r, 20));
    expect(calls.log).toEqual(['takeOver c1']);
    expect(inbound.sent.some((c) => c.startsWith('uuid_transfer c1-caller -both conference:hotline-c1@hotline'))).toBe(true);
    expect(inbound.sent.some((c) => c.startsWith('bg originate'))).toBe(true);
    await wired.close();
    expect(inbound.listenerCount('event')).toBe(0);
  });

  it('without an inbound ESL connection the transfer routes answer 503 HOTLINE_ERR_TRANSFERS_UNAVAILABLE', async () => {
    const wired = await wireTransfers({ ...deps, inbound: undefined });
    const app = Fastify();
    await app.register(wired.plugin);
    for (const [method, url] of [['GET', '/api/transfer-targets'], ['POST', '/api/calls/c1/transfer'], ['POST', '/api/calls/c1/transfer/complete']] as const) {
      const res = await app.inject({ method, url, payload: method === 'POST' ? { target: '12366' } : undefined });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ code: 'HOTLINE_ERR_TRANSFERS_UNAVAILABLE' });
    }
    expect(wired.finish('c1')).toEqual([]);
    expect(wired.health[0]?.check().state).toBe('disabled');
    await app.close();
  });
});
