import { describe, expect, it } from 'vitest';
import { callIds } from '../../../src/compose/call-ids.js';

describe('call ids', () => {
  it('two nodes booted in the same millisecond never hand out the same id', () => {
    const boot = Date.UTC(2026, 11, 5, 13, 0, 0);
    const a = callIds(boot);
    const b = callIds(boot);
    const fromA = Array.from({ length: 100 }, () => a.next('call'));
    const fromB = Array.from({ length: 100 }, () => b.next('call'));
    expect(fromA.filter((id) => fromB.includes(id))).toEqual([]);
  });

  it('one node: every id new, with its prefix', () => {
    const ids = callIds();
    const got = Array.from({ length: 1000 }, () => ids.next('call'));
    expect(new Set(got).size).toBe(1000);
    expect(got.every((id) => id.startsWith('call-'))).toBe(true);
  });
});
