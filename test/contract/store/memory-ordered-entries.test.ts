import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OrderedEntries } from '../../../src/adapters/store/memory/ordered-entries.js';
import { compareEntries } from '../../../src/core/acd/queue-order.js';
import type { QueueEntry } from '../../../src/core/acd/types.js';

const mk = (i: number, priority: number, seniority: number): QueueEntry =>
  ({ callId: `c${i}`, queueId: 'q', priority, seniority, seq: i, enqueuedAt: seniority });

describe('OrderedEntries (memory store queue)', () => {
  it('stays in serving order through inserts, shifts past the compaction point and removals', () => {
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 50 })), { minLength: 1500, maxLength: 3000 }),
      fc.integer({ min: 1100, max: 1400 }),
      (specs, shifts) => {
        const q = new OrderedEntries();
        const all = specs.map(([p, s], i) => mk(i, p, s));
        for (const e of all) q.insert(e);
        const model = [...all].sort(compareEntries);
        for (let i = 0; i < shifts; i++) expect(q.shift()).toBe(model.shift());
        for (let i = 0; i < model.length; i += 7) expect(q.remove(model[i]!.callId)).toBe(model[i]);
        const left = model.filter((_, i) => i % 7 !== 0);
        expect(q.toArray()).toEqual(left);
        expect(q.size).toBe(left.length);
        expect(q.position(left[left.length - 1]!.callId)).toBe(left.length);
        expect(q.position(model[0]!.callId)).toBeUndefined();
        expect(q.peek()).toBe(left[0]);
      },
    ), { numRuns: 20 });
  });
});
