/**
 * No drift between the simulator and the ACD it claims to run: every call the simulated sessions
 * and desks made into the ACD is replayed, at the same instants, into a fresh AcdService on a
 * manual clock (the unit tests' harness) — and the ACD decides exactly the same things: who
 * waits where, who overflows and why, which agent gets which caller, every agent state change.
 */
import { describe, expect, it } from 'vitest';
import { MemoryAcdStore } from '../../../src/adapters/store/memory/index.js';
import type { AcdEvent, PauseReason } from '../../../src/app/acd/acd-model.js';
import { AcdService } from '../../../src/app/acd/acd-service.js';
import type { EnqueueRequest } from '../../../src/app/acd/call-acd-port.js';
import { simulateDay } from '../../../src/app/sim/engine.js';
import { resolveProfile } from '../../../src/app/sim/profile.js';
import { quietLogger } from '../../../src/app/sim/quiet-logger.js';
import { simStaff } from '../../../src/app/sim/sim-registry.js';
import { ManualClock, settle } from '../../support/manual-clock.js';
import { cityRegistry, shanghai } from '../../support/registry-builder.js';

interface AcdCall { readonly at: number; readonly method: string; readonly args: readonly unknown[] }

const hours = (from: number, to: number, n: number) => Array.from({ length: 24 }, (_, h) => (h >= from && h < to ? n : 0));

/** A busy Tuesday morning: the office-hours queue overflows, agents miss calls, callers give up. */
const profile = resolveProfile({
  arrivals: { '12345': hours(8, 11, 150), '12328': hours(8, 11, 60), '12319': hours(8, 11, 20) },
  handle: { dist: 'lognormal', mean: 150, sd: 90 },
  patience: { dist: 'exponential', mean: 90 },
  staffing: { 'general': hours(8, 12, 4), 'traffic': hours(8, 12, 2), 'pool-24x7': hours(8, 12, 3) },
  agents: { answerSeconds: 2, noAnswerRate: 0.05, returnSeconds: 20 },
});

async function replay(calls: readonly AcdCall[], start: number): Promise<AcdEvent[]> {
  const registry = simStaff(cityRegistry(), profile).registry;
  const clock = new ManualClock(start);
  const events: AcdEvent[] = [];
  const acd = new AcdService({ store: new MemoryAcdStore(), registry, clock, timers: clock, observer: { onAcdEvent: (e) => { events.push(e); } } });
  await acd.start();
  for (const c of calls) {
    await clock.tickTo(c.at);
    const [a, b] = c.args as [unknown, unknown];
    const swallow = (p: Promise<unknown>) => p.catch(() => undefined);
    switch (c.method) {
      case 'enqueue': await swallow(acd.enqueue(a as EnqueueRequest, () => undefined)); break;
      case 'agentAnswered': await acd.agentAnswered(a as string, b as string); break;
      case 'agentNoAnswer': await acd.agentNoAnswer(a as string, b as string); break;
      case 'conversationEnded': await acd.conversationEnded(a as string, b as string); break;
      case 'callerLeft': await acd.callerLeft(a as string); break;
      case 'login': await swallow(acd.login(a as string)); break;
      case 'ready': await swallow(acd.ready(a as string)); break;
      case 'notReady': await swallow(acd.notReady(a as string, b as PauseReason)); break;
      case 'logout': await swallow(acd.logout(a as string)); break;
      default: throw new Error(`unexpected ACD call ${c.method}`);
    }
    await settle();
  }
  await acd.idle();
  await acd.stop();
  return events;
}

describe('the simulator and the unit-level ACD decide the same', () => {
  it('a scripted morning replayed call by call gives the same ACD events, in the same order', async () => {
    const date = '2026-03-10';
    const simEvents: AcdEvent[] = [];
    const calls: AcdCall[] = [];
    const run = await simulateDay({
      registry: cityRegistry(), profile, seed: 11, date, logger: quietLogger(), newStore: () => new MemoryAcdStore(),
      onAcdEvent: (e) => simEvents.push(e),
      onAcdCall: (at, method, args) => calls.push({ at, method, args }),
    });
    const kinds = new Set(simEvents.map((e) => (e.type === 'overflowed' ? `overflowed:${e.reason}` : e.type)));
    // The morning exercises what it is meant to: overflow on max wait, missed calls, callers giving up.
    for (const k of ['enqueued', 'assigned', 'answered', 'left', 'overflowed:max-wait', 'agent-state']) expect(kinds).toContain(k);
    expect(calls.some((c) => c.method === 'agentNoAnswer')).toBe(true);
    expect(run.records.length).toBeGreaterThan(500);

    const replayed = await replay(calls, shanghai(`${date} 00:00`));
    expect(replayed.length).toBe(simEvents.length);
    expect(replayed).toEqual(simEvents);
  }, 120_000);

  it('settling by microtasks decides exactly what settling by a full event-loop turn does, and a seed repeats its day', async () => {
    const day = (settleMode: 'microtask' | 'macrotask', seed: number) => simulateDay({
      registry: cityRegistry(), profile, seed, date: '2026-03-10', logger: quietLogger(), newStore: () => new MemoryAcdStore(), settle: settleMode,
    });
    const micro = await day('microtask', 3);
    expect((await day('macrotask', 3)).records).toEqual(micro.records);
    expect((await day('microtask', 3)).records).toEqual(micro.records);
    expect((await day('microtask', 4)).records).not.toEqual(micro.records);
  }, 120_000);
});
