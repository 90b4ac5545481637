import { afterEach, describe, expect, it } from 'vitest';
import { shanghai } from '../../support/registry-builder.js';
import { assigned, harness, smallCity, type Harness } from './harness.js';

let h: Harness;
afterEach(async () => {
  await h.acd.stop();
  expect(h.errors).toEqual([]);
});

const overflowed = (callId: string) => h.notices(callId).filter((n) => n.kind === 'overflowed');

describe('AcdService: overflow while waiting (max-wait)', () => {
  it('moves the caller at enqueuedAt + maxWaitSeconds exactly: 1 ms before it stays', async () => {
    h = await harness();
    await h.acd.login('g1');
    await h.acd.login('b1');
    await h.call('c1');
    await h.clock.tick(119_999);
    expect(overflowed('c1')).toEqual([]);
    expect(await h.acd.status('c1')).toMatchObject({ queueId: 'general' });
    await h.clock.tick(1);
    expect(overflowed('c1')).toEqual([{ kind: 'overflowed', from: 'general', to: 'backup', reason: 'max-wait' }]);
    expect(await h.acd.status('c1')).toMatchObject({ queueId: 'backup', position: 1 });
  });

  it('re-arms for the new queue\'s maxWait, counted from arrival there', async () => {
    h = await harness();
    await h.acd.login('g1');
    await h.acd.login('b1');
    await h.call('c1');
    await h.clock.tick(120_000 + 29_999);
    expect(overflowed('c1')).toHaveLength(1);
    await h.clock.tick(1);
    expect(overflowed('c1')).toEqual([
      { kind: 'overflowed', from: 'general', to: 'backup', reason: 'max-wait' },
      { kind: 'overflowed', from: 'backup', to: 'pool', reason: 'max-wait' },
    ]);
    // The pool is the end of the line: no timer for this caller any more.
    await h.clock.tick(3_600_000);
    expect(overflowed('c1')).toHaveLength(2);
  });

  it('a move skips a target nobody is logged in to, straight on down the chain', async () => {
    h = await harness();
    await h.acd.login('g1');
    await h.call('c1');
    await h.clock.tick(120_000);
    expect(overflowed('c1')).toEqual([{ kind: 'overflowed', from: 'general', to: 'pool', reason: 'max-wait' }]);
  });

  it('keeps seniority in the pool: an older overflowed caller is served before a newer pool caller', async () => {
    h = await harness();
    await h.acd.login('g1');
    await h.acd.login('p1');
    await h.call('old');
    await h.clock.tick(60_000);
    await h.call('new', 'pool');
    await h.clock.tick(60_000);
    expect(await h.acd.status('old')).toMatchObject({ queueId: 'pool', position: 1 });
    expect(await h.acd.status('new')).toMatchObject({ queueId: 'pool', position: 2 });
    await h.acd.ready('p1');
    expect(assigned(h, 'old')).toEqual(['p1']);
    expect(assigned(h, 'new')).toEqual([]);
  });

  it('an assignment made after no-answer does not restart the maxWait clock', async () => {
    h = await harness();
    await h.readyAgent('g1');
    await h.acd.login('b1');
    await h.call('c1');
    await h.acd.idle();
    await h.clock.tick(20_000);
    await h.acd.agentNoAnswer('c1', 'g1');
    await h.clock.tick(99_999);
    expect(overflowed('c1')).toEqual([]);
    await h.clock.tick(1);
    expect(overflowed('c1')).toHaveLength(1);
  });
});

describe('AcdService: admission', () => {
  it('no agent logged in for the queue: the caller lands in the next queue that has one', async () => {
    h = await harness();
    await h.acd.login('p1');
    const e = await h.call('c1');
    expect(e).toEqual({
      queueId: 'pool', position: 1,
      skipped: [{ queueId: 'general', reason: 'no-agents' }, { queueId: 'backup', reason: 'no-agents' }],
    });
    expect(h.events.find((x) => x.type === 'enqueued')).toMatchObject({ queueId: 'pool', skipped: e.skipped });
  });

  it('the pool always accepts, even with nobody logged in', async () => {
    h = await harness();
    expect((await h.call('c1')).queueId).toBe('pool');
  });

  it('a closed queue passes arrivals on (closed)', async () => {
    h = await harness({ start: shanghai('2026-03-03 12:30') });
    await h.acd.login('g1');
    await h.acd.login('b1');
    expect(await h.call('c1')).toMatchObject({ queueId: 'backup', skipped: [{ queueId: 'general', reason: 'closed' }] });
  });

  it('a full queue passes arrivals on (full), and only arrivals', async () => {
    h = await harness();
    await h.acd.login('g1');
    await h.acd.login('b1');
    for (const c of ['c1', 'c2', 'c3']) expect((await h.call(c)).queueId).toBe('general');
    expect(await h.call('c4')).toMatchObject({ queueId: 'backup', skipped: [{ queueId: 'general', reason: 'full' }], position: 1 });
  });

  it('a routed seniority is kept: a re-queued caller is served before a newer one', async () => {
    h = await harness();
    await h.acd.login('g1');
    await h.call('new');
    await h.call('back', 'general', { seniority: h.clock.now() - 30_000 });
    expect(await h.acd.status('back')).toMatchObject({ position: 1 });
  });

  it('refuses a call that is already with the ACD', async () => {
    h = await harness();
    await h.call('c1');
    await expect(h.call('c1')).rejects.toThrow(/already/);
  });
});

describe('AcdService: structural overflow of waiting callers', () => {
  it('the last agent of a queue logging out moves its callers on (no-agents), in serving order', async () => {
    h = await harness();
    await h.acd.login('g1');
    await h.acd.login('g2');
    await h.acd.login('p1');
    await h.call('c1');
    await h.call('c2');
    await h.acd.logout('g1');
    expect(overflowed('c1')).toEqual([]);
    await h.acd.notReady('g2', 'break');
    expect(overflowed('c1')).toEqual([]);
    await h.acd.logout('g2');
    expect(overflowed('c1')).toEqual([{ kind: 'overflowed', from: 'general', to: 'pool', reason: 'no-agents' }]);
    expect(overflowed('c2')).toEqual([{ kind: 'overflowed', from: 'general', to: 'pool', reason: 'no-agents' }]);
    expect((await h.store.waiting('pool')).map((e) => e.callId)).toEqual(['c1', 'c2']);
    const moves = h.events.filter((e) => e.type === 'overflowed').map((e) => e.callId);
    expect(moves).toEqual(['c1', 'c2']);
  });

  it('the schedule closing at 17:30 moves all three waiting callers, in seniority order', async () => {
    h = await harness({ start: shanghai('2026-03-03 17:29') });
    await h.acd.login('g1');
    await h.acd.login('b1');
    await h.call('c1');
    await h.clock.tick(10_000);
    await h.call('c2');
    await h.clock.tick(10_000);
    await h.call('c3');
    await h.clock.tickTo(shanghai('2026-03-03 17:30') - 1);
    expect((await h.store.waiting('general')).map((e) => e.callId)).toEqual(['c1', 'c2', 'c3']);
    await h.clock.tick(1);
    for (const c of ['c1', 'c2', 'c3']) {
      expect(overflowed(c)).toEqual([{ kind: 'overflowed', from: 'general', to: 'backup', reason: 'closed' }]);
    }
    expect(h.events.filter((e) => e.type === 'overflowed').map((e) => e.callId)).toEqual(['c1', 'c2', 'c3']);
    expect((await h.store.waiting('backup')).map((e) => e.callId)).toEqual(['c1', 'c2', 'c3']);
    // Re-armed for the next change: Wednesday 08:30 opens it again.
    expect(h.clock.armed()).toContain(shanghai('2026-03-04 08:30'));
  });

  it('keeps watching across days: closes again at 12:00 the next day', async () => {
    h = await harness({ start: shanghai('2026-03-03 17:00') });
    await h.acd.login('g1');
    await h.acd.login('p1');
    await h.clock.tickTo(shanghai('2026-03-04 11:59'));
    await h.call('c1');
    await h.clock.tickTo(shanghai('2026-03-04 12:00'));
    expect(overflowed('c1')).toEqual([{ kind: 'overflowed', from: 'general', to: 'pool', reason: 'closed' }]);
  });

  it('a queue without agents at arrival time but later overflow is unaffected by other queues', async () => {
    h = await harness({ registry: smallCity() });
    await h.acd.login('p1');
    await h.call('c1', 'pool');
    await h.acd.logout('p1');
    // The pool has no overflow: its callers stay whatever happens.
    expect(overflowed('c1')).toEqual([]);
    expect(await h.acd.status('c1')).toMatchObject({ queueId: 'pool', estimatedWaitMinutes: null });
  });
});
