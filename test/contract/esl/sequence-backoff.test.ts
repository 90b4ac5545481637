import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../src/adapters/esl/backoff.js';
import type { FsEvent } from '../../../src/adapters/esl/codec/types.js';
import { SequenceTracker } from '../../../src/adapters/esl/sequence.js';

const ev = (sequence: number, core = 'core-a'): FsEvent => ({ name: 'X', sequence, headers: { 'Core-UUID': core } });

describe('SequenceTracker', () => {
  it('reports a gap with its size only in strict mode', () => {
    const strict = new SequenceTracker(true);
    expect(strict.observe(ev(10))).toBeUndefined();
    expect(strict.observe(ev(11))).toBeUndefined();
    expect(strict.observe(ev(15))).toEqual({ reason: 'sequence-gap', expected: 12, got: 15, lost: 3 });
    expect(strict.observe(ev(16))).toBeUndefined();
    const loose = new SequenceTracker(false);
    loose.observe(ev(10));
    expect(loose.observe(ev(15))).toBeUndefined();
  });

  it('ignores a late (reordered) event and reports a changed Core-UUID', () => {
    const t = new SequenceTracker(true);
    t.observe(ev(10));
    expect(t.observe(ev(9))).toBeUndefined();
    expect(t.observe(ev(11))).toBeUndefined();
    expect(t.observe(ev(1, 'core-b'))).toEqual({ reason: 'core-changed' });
    expect(t.observe(ev(2, 'core-b'))).toBeUndefined();
  });

  it('starts a new run after reset', () => {
    const t = new SequenceTracker(true);
    t.observe(ev(10));
    t.reset();
    expect(t.observe(ev(500))).toBeUndefined();
  });
});

describe('backoffDelay', () => {
  it('grows exponentially, stays within [cap/2, cap] and is capped', () => {
    const opts = { initialMs: 100, maxMs: 1000, factor: 2 };
    expect(backoffDelay(0, opts, () => 0)).toBe(50);
    expect(backoffDelay(0, opts, () => 1)).toBe(100);
    expect(backoffDelay(3, opts, () => 0.5)).toBe(600);
    expect(backoffDelay(30, opts, () => 1)).toBe(1000);
    expect(backoffDelay(30, opts, () => 0)).toBe(500);
  });
});
