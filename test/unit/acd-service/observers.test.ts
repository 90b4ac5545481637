/** One observer for everything the call path tells: several behind it, each guarded on its own. */
import { describe, expect, it } from 'vitest';
import type { AcdEvent } from '../../../src/app/acd/acd-model.js';
import { AcdObservers } from '../../../src/app/acd/acd-observer.js';
import { harness } from './harness.js';

const event: AcdEvent = { type: 'agent-state', at: 1, agentId: 'g1', status: 'ready' };

describe('AcdObservers', () => {
  it('tells every observer, in order, including those added later', () => {
    const seen: string[] = [];
    const observers = new AcdObservers({ warn: () => undefined, error: () => undefined }, { onAcdEvent: () => { seen.push('first'); } }, undefined);
    observers.add({ onAcdEvent: () => { seen.push('later'); } });
    observers.onAcdEvent(event);
    expect(seen).toEqual(['first', 'later']);
  });

  it('an observer that throws is logged; the ones after it are still told', () => {
    const errors: string[] = [];
    const seen: AcdEvent[] = [];
    const observers = new AcdObservers({ warn: () => undefined, error: (o, m) => { errors.push(`${m} ${(o as { event: string }).event}`); } },
      { onAcdEvent: () => { throw new Error('broken metrics'); } }, { onAcdEvent: (e) => { seen.push(e); } });
    observers.onAcdEvent(event);
    expect(seen).toEqual([event]);
    expect(errors).toEqual(['acd: event observer threw agent-state']);
  });

  it('the ACD service tells its observer each step of the path: enqueued, assigned, answered', async () => {
    const h = await harness();
    await h.readyAgent('g1');
    await h.call('c1');
    await h.acd.idle();
    await h.acd.agentAnswered('c1', 'g1');
    expect(h.events.filter((e) => e.type !== 'agent-state').map((e) => `${e.type} ${'callId' in e ? e.callId : ''}`))
      .toEqual(['enqueued c1', 'assigned c1', 'answered c1']);
  });
});
