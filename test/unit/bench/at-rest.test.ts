import { describe, expect, it } from 'vitest';
import { untilAtRest, type RestOptions } from '../../../bench/support/fs-bench/at-rest.js';

const OPTS: RestOptions = { share: 0.1, windows: 2, windowMs: 1_000, limitMs: 10_000 };

/** A process whose CPU share in successive 1 s windows is `shares`, then `tail` for ever. */
function process(shares: readonly number[], tail: number): { cpu: () => number; sleep: (ms: number) => Promise<void>; slept: () => number } {
  let used = 0;
  let window = 0;
  let slept = 0;
  return {
    cpu: () => used,
    sleep: (ms) => {
      slept += ms;
      used += (shares[window] ?? tail) * (ms / 1000);
      window += 1;
      return Promise.resolve();
    },
    slept: () => slept,
  };
}

describe('untilAtRest', () => {
  it('waits through a teardown until two windows in a row are under the share', async () => {
    const p = process([0.35, 0.22, 0.08, 0.3, 0.06, 0.05], 0.05);
    const out = await untilAtRest(p.cpu, p.sleep, OPTS);
    expect(out.reached).toBe(true);
    expect(out.waitedMs).toBe(6_000);
    expect(out.share).toBeCloseTo(0.05, 6);
    expect(p.slept()).toBe(6_000);
  });

  it('gives up at the limit on a process that never rests, and says so', async () => {
    const p = process([], 0.5);
    const out = await untilAtRest(p.cpu, p.sleep, OPTS);
    expect(out.reached).toBe(false);
    expect(out.waitedMs).toBe(10_000);
    expect(out.share).toBeCloseTo(0.5, 6);
  });

  it('returns after the first two windows on a process already at rest', async () => {
    const p = process([], 0.04);
    expect((await untilAtRest(p.cpu, p.sleep, OPTS)).waitedMs).toBe(2_000);
  });
});
