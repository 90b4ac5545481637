import { describe, expect, it } from 'vitest';
import { TrunkCaps } from '../../../src/core/edge/index.js';

describe('TrunkCaps', () => {
  it('admits maxCallsPerSecond calls in any one-second window, then 503 with Retry-After', () => {
    const caps = new TrunkCaps(3, 100);
    expect([0, 100, 900].map((t) => caps.admit(t).ok)).toEqual([true, true, true]);
    expect(caps.admit(999)).toEqual({ ok: false, reason: 'cps', retryAfterSeconds: 1 });
    // The first admission leaves the window at 1000 ms.
    expect(caps.admit(1000).ok).toBe(true);
    expect(caps.admit(1050).ok).toBe(false);
    expect(caps.admit(1100).ok).toBe(true);
  });

  it('cannot be beaten at a second\'s boundary: a burst at 999 ms and another at 1001 ms', () => {
    const caps = new TrunkCaps(5, 100);
    const admitted = [...Array<number>(5).fill(999), ...Array<number>(5).fill(1001)].filter((t) => caps.admit(t).ok).length;
    expect(admitted).toBe(5);
  });

  it('counts refused calls nowhere', () => {
    const caps = new TrunkCaps(1, 100);
    expect(caps.admit(0).ok).toBe(true);
    for (let t = 1; t < 1000; t += 100) expect(caps.admit(t).ok).toBe(false);
    expect(caps.admit(1000).ok).toBe(true);
    expect(caps.calls).toBe(2);
  });

  it('refuses past maxConcurrentCalls until a call ends', () => {
    const caps = new TrunkCaps(100, 2);
    expect(caps.admit(0).ok).toBe(true);
    expect(caps.admit(10).ok).toBe(true);
    expect(caps.admit(20)).toEqual({ ok: false, reason: 'concurrent', retryAfterSeconds: 1 });
    caps.release();
    expect(caps.admit(30).ok).toBe(true);
    expect(caps.calls).toBe(2);
  });

  it('holds the rate over a long run: 10 cps offered 50 per second for a minute admits 600', () => {
    const caps = new TrunkCaps(10, 1_000_000);
    let admitted = 0;
    for (let t = 0; t < 60_000; t += 20) if (caps.admit(t).ok) admitted++;
    expect(admitted).toBe(600);
  });
});
