import { describe, expect, it } from 'vitest';
import { compareEntries, overflowedEntry } from '../../../src/core/acd/queue-order.js';
import { entry } from './fixtures.js';

describe('queue ordering', () => {
  const cases: [string, Parameters<typeof entry>[1], Parameters<typeof entry>[1]][] = [
    ['higher priority first, even if younger', { priority: 5, seniority: 9000, seq: 9 }, { priority: 0, seniority: 1000, seq: 1 }],
    ['same priority: earlier seniority first', { seniority: 1000, seq: 9 }, { seniority: 2000, seq: 1 }],
    ['same priority and seniority: lower seq first', { seq: 1 }, { seq: 2 }],
  ];
  it.each(cases)('%s', (_n, first, second) => {
    const a = entry('a', first);
    const b = entry('b', second);
    expect(compareEntries(a, b)).toBeLessThan(0);
    expect(compareEntries(b, a)).toBeGreaterThan(0);
    expect([b, a].sort(compareEntries).map((e) => e.callId)).toEqual(['a', 'b']);
  });

  it('an overflowed caller keeps priority, seniority and seq; its wait clock restarts in the target', () => {
    const e = entry('c', { priority: 3, seniority: 1000, seq: 4, enqueuedAt: 1000 });
    const moved = overflowedEntry(e, 'pool', 61_000);
    expect(moved).toMatchObject({ queueId: 'pool', priority: 3, seniority: 1000, seq: 4, enqueuedAt: 61_000, overflowedFrom: 'q12345' });
    // Against pool callers who arrived after it at the same priority, it is served first.
    const poolLocal = entry('p', { queueId: 'pool', priority: 3, seniority: 30_000, seq: 2, enqueuedAt: 30_000 });
    expect(compareEntries(moved, poolLocal)).toBeLessThan(0);
  });
});
