/**
 * Interleavings the per-call serial order must make safe. A store that calls a hook right after
 * an atomic step lets a test slip another operation in at exactly that point.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryAcdStore } from '../../../src/adapters/store/memory/index.js';
import type { ReserveRequest, ReserveResult } from '../../../src/core/acd/store-port.js';
import { assigned, harness, type Harness } from './harness.js';

class HookedStore extends MemoryAcdStore {
  afterReserve: (() => void) | undefined;
  override async reserveAgent(req: ReserveRequest): Promise<ReserveResult> {
    const r = await super.reserveAgent(req);
    const hook = this.afterReserve;
    this.afterReserve = undefined;
    hook?.();
    return r;
  }
}

let h: Harness;
afterEach(async () => {
  await h.acd.stop();
  expect(h.errors).toEqual([]);
});

describe('AcdService: races', () => {
  it('the caller leaves after the dispatcher reserved an agent but before delivery: agent released, no notice', async () => {
    const store = new HookedStore();
    h = await harness({ store });
    await h.acd.login('g1');
    await h.call('c1');
    const idleBefore = { set: false };
    store.afterReserve = () => { idleBefore.set = true; void h.acd.callerLeft('c1'); };
    await h.acd.ready('g1');
    await h.acd.idle();
    expect(idleBefore.set).toBe(true);
    expect(h.notices('c1')).toEqual([]);
    expect((await h.store.getAgent('g1'))?.state.status).toBe('ready');
    expect(h.events.filter((e) => e.type === 'left')).toMatchObject([{ callId: 'c1', while: 'waiting' }]);
    expect(h.events.some((e) => e.type === 'assigned')).toBe(false);
  });

  it('the released agent goes straight to the next caller', async () => {
    const store = new HookedStore();
    h = await harness({ store });
    await h.acd.login('g1');
    await h.call('c1');
    await h.call('c2');
    store.afterReserve = () => { void h.acd.callerLeft('c1'); };
    await h.acd.ready('g1');
    await h.acd.idle();
    expect(assigned(h, 'c1')).toEqual([]);
    expect(assigned(h, 'c2')).toEqual(['g1']);
  });

  it('the maxWait timer firing while the caller is being assigned does not move it', async () => {
    const store = new HookedStore();
    h = await harness({ store });
    await h.acd.login('g1');
    await h.acd.login('b1');
    await h.call('c1');
    h.clock.advance(119_000);
    store.afterReserve = () => { h.clock.advance(1000); };
    await h.acd.ready('g1');
    await h.acd.idle();
    expect(h.notices('c1').map((n) => n.kind)).toEqual(['assigned']);
    expect((await h.acd.agent('g1')).status).toBe('ringing');
    // ...and no stale timer moves it later either
    await h.clock.tick(600_000);
    expect(h.notices('c1').map((n) => n.kind)).toEqual(['assigned']);
  });

  it('the last agent logging out while a caller is being assigned: the assignment stands', async () => {
    const store = new HookedStore();
    h = await harness({ store });
    await h.acd.login('g1');
    await h.acd.login('g2');
    await h.call('c1');
    store.afterReserve = () => { void h.acd.logout('g2'); };
    await h.acd.ready('g1');
    await h.acd.idle();
    expect(assigned(h, 'c1')).toEqual(['g1']);
  });

  it('callerLeft and no-answer reported together: whichever comes first, the agent is not left reserved', async () => {
    h = await harness();
    await h.readyAgent('g1');
    await h.call('c1');
    await h.acd.idle();
    await Promise.all([h.acd.callerLeft('c1'), h.acd.agentNoAnswer('c1', 'g1')]);
    await h.acd.idle();
    expect((await h.acd.agent('g1')).status).toBe('ready');
    expect(await h.store.length('general')).toBe(0);
  });

  it('many callers and agents arriving at once: each caller gets at most one agent, each agent one caller', async () => {
    h = await harness();
    const agents = ['g1', 'g2'];
    for (const a of agents) await h.acd.login(a);
    await Promise.all([
      h.call('c1'), h.call('c2'), h.call('c3'),
      ...agents.map((a) => h.acd.ready(a)),
    ]);
    await h.acd.idle();
    const got = ['c1', 'c2', 'c3'].map((c) => assigned(h, c));
    expect(got.filter((g) => g.length > 0)).toHaveLength(2);
    expect(new Set(got.flat()).size).toBe(2);
    expect(got.every((g) => g.length <= 1)).toBe(true);
  });

  it('a listener that throws does not break the ACD', async () => {
    h = await harness();
    await h.readyAgent('g1');
    await h.acd.enqueue({ callId: 'c1', queueId: 'general', priority: 0, line: '12345' }, () => { throw new Error('boom'); });
    await h.acd.idle();
    expect((await h.acd.agent('g1')).status).toBe('ringing');
    expect(h.errors).toHaveLength(1);
    h.errors.length = 0;
  });
});

describe('AcdService: failures', () => {
  it('a store failure in the follow-up dispatch is logged; the agent operation still succeeds', async () => {
    class FailingPeek extends MemoryAcdStore {
      fail = false;
      override peek(queueId: string) {
        return this.fail ? Promise.reject(new Error('store down')) : super.peek(queueId);
      }
    }
    const store = new FailingPeek();
    h = await harness({ store });
    await h.acd.login('g1');
    store.fail = true;
    expect(await h.acd.ready('g1')).toMatchObject({ status: 'ready' });
    expect(h.errors).toEqual([expect.stringMatching(/^acd: background work failed .*"what":"dispatch after agent change"/)]);
    h.errors.length = 0;
  });
});
