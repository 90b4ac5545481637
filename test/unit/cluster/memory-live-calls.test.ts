/** The one-node live-call directory and hand-over history (Redis's is in test/contract/cluster/any-node-transfer.test.ts). */
import { describe, expect, it } from 'vitest';
import { MemoryLiveCalls } from '../../../src/adapters/store/memory/index.js';

describe('MemoryLiveCalls hand-over history', () => {
  it('remembers a hand-over for its TTL, then forgets it (bounded on a long-running node)', async () => {
    let now = 0;
    const h = new MemoryLiveCalls(() => now, 1_000);
    expect(await h.claim('u1', 'c1', '12366')).toBe(true);
    now = 500;
    expect(await h.claim('u2', 'c2', 'huzhou')).toBe(true);
    expect(await h.claim('u1', 'c9', 'x')).toBe(false);
    now = 1_000;
    expect(await h.handedTo('u1')).toBeUndefined();
    expect(await h.handedTo('u2')).toBe('huzhou');
    expect(await h.claim('u1', 'c9', 'x')).toBe(true);
  });
});
