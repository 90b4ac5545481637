import { describe, expect, it } from 'vitest';
import {
  callersToMoveOnClose, decideAdmission, decideOverflow, maxWaitAt, overflowSweep, type OverflowView,
} from '../../../src/core/acd/overflow.js';
import { entry, queue } from './fixtures.js';

const view = (over: Partial<{ open: boolean; loggedIn: number; waiting: number }> = {}): OverflowView => ({
  isOpen: () => over.open ?? true,
  loggedIn: () => over.loggedIn ?? 3,
  waiting: () => over.waiting ?? 0,
});
const q = queue({ maxWaitSeconds: 60, maxLength: 10, overflow: 'pool' });
const e = entry('c', { enqueuedAt: 1_000 });

describe('decideOverflow (waiting callers)', () => {
  const cases: [string, number, OverflowView, ReturnType<typeof decideOverflow>][] = [
    ['1 ms before maxWait → stays', 60_999, view(), null],
    ['at exactly maxWait → overflows (≥)', 61_000, view(), { to: 'pool', reason: 'max-wait' }],
    ['after maxWait → overflows', 90_000, view(), { to: 'pool', reason: 'max-wait' }],
    ['no agent logged in → no-agents', 2_000, view({ loggedIn: 0 }), { to: 'pool', reason: 'no-agents' }],
    ['schedule closed → closed', 2_000, view({ open: false }), { to: 'pool', reason: 'closed' }],
    ['closed wins over max-wait', 90_000, view({ open: false }), { to: 'pool', reason: 'closed' }],
    ['a long queue never pushes out an admitted caller', 2_000, view({ waiting: 500 }), null],
  ];
  it.each(cases)('%s', (_n, now, v, want) => {
    expect(decideOverflow(q, e, now, v)).toEqual(want);
  });

  it('the timer instant is enqueuedAt + maxWaitSeconds', () => {
    expect(maxWaitAt(q, e)).toBe(61_000);
  });

  it('a queue without overflow target (the 7×24 pool) never overflows', () => {
    const pool = queue({ id: 'pool', overflow: undefined });
    expect(decideOverflow(pool, e, 1e9, view({ open: false, loggedIn: 0 }))).toBeNull();
    expect(decideAdmission(pool, 1e9, view({ waiting: 1e6 }))).toBeNull();
  });
});

describe('decideAdmission (arriving callers)', () => {
  const cases: [string, OverflowView, ReturnType<typeof decideAdmission>][] = [
    ['open, agents, room → admitted', view({ waiting: 9 }), null],
    ['maxLength callers already waiting → full', view({ waiting: 10 }), { to: 'pool', reason: 'full' }],
    ['no agents', view({ loggedIn: 0 }), { to: 'pool', reason: 'no-agents' }],
    ['closed', view({ open: false, waiting: 10 }), { to: 'pool', reason: 'closed' }],
  ];
  it.each(cases)('%s', (_n, v, want) => {
    expect(decideAdmission(q, 5_000, v)).toEqual(want);
  });
});

describe('overflowSweep', () => {
  it('returns the callers due, in serving order', () => {
    const waiting = [
      entry('young', { seniority: 5_000, seq: 3, enqueuedAt: 5_000 }),
      entry('vip', { priority: 5, seniority: 2_000, seq: 2, enqueuedAt: 2_000 }),
      entry('old', { seniority: 1_000, seq: 1, enqueuedAt: 1_000 }),
    ];
    expect(overflowSweep(q, waiting, 62_000, view()).map((m) => m.entry.callId)).toEqual(['vip', 'old']);
  });
});

describe('schedule closing', () => {
  const waiting = [
    entry('c3', { seniority: 3_000, seq: 3 }),
    entry('c1', { seniority: 1_000, seq: 1 }),
    entry('c2', { seniority: 2_000, seq: 2 }),
    entry('c0', { seniority: 2_000, seq: 0, priority: 1 }),
  ];
  it('moves every waiting caller to the overflow queue in serving order', () => {
    expect(callersToMoveOnClose(q, waiting, 9_000, () => false)).toEqual({
      to: 'pool', entries: [waiting[3], waiting[1], waiting[2], waiting[0]],
    });
  });
  it('does nothing while open or without a target', () => {
    expect(callersToMoveOnClose(q, waiting, 9_000, () => true)).toBeNull();
    expect(callersToMoveOnClose(queue({ overflow: undefined }), waiting, 9_000, () => false)).toBeNull();
  });
  it('asks isOpen about this queue at this instant', () => {
    const asked: [string, number][] = [];
    callersToMoveOnClose(q, waiting, 9_000, (id, at) => { asked.push([id, at]); return true; });
    expect(asked).toEqual([['q12345', 9_000]]);
  });
});
