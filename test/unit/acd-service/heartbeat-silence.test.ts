/**
 * A beat that finds the node's heartbeat gone says how long the store had heard nothing from it
 * (silentMs): the stall that got a live node reaped, which operators and the chaos test's seniority
 * audit read from the resync warning.
 */
import { describe, expect, it } from 'vitest';
import type { AcdRuntime } from '../../../src/app/acd/acd-runtime.js';
import { Heartbeat, type BeatReport } from '../../../src/app/acd/heartbeat.js';
import type { NodeRegistry } from '../../../src/app/cluster/cluster-port.js';
import { ManualClock } from '../../support/manual-clock.js';

describe('heartbeat silence', () => {
  it('each beat reports the time since the last acknowledged one; a lost beat carries the stall that lost it', async () => {
    const clock = new ManualClock(1_000_000);
    const replies = [true, true, false, true];
    const registry = { beat: () => Promise.resolve(replies.shift() ?? true) } as unknown as NodeRegistry;
    const seen: BeatReport[] = [];
    // beat() alone uses neither the runtime nor its timers (run() does).
    const hb = new Heartbeat('n1', registry, clock, {} as AcdRuntime, 200, 800, (r) => { seen.push(r); });
    await hb.beat();
    clock.advance(200);
    await hb.beat();
    clock.advance(1700); // stalled past the TTL: the peers reaped it meanwhile
    await hb.beat();
    clock.advance(200);
    await hb.beat();
    expect(seen).toEqual([
      { outcome: 'ok', silentMs: undefined }, { outcome: 'ok', silentMs: 200 }, { outcome: 'lost', silentMs: 1700 }, { outcome: 'ok', silentMs: 200 },
    ]);
    expect(hb.stats).toEqual({ beats: 4, maxGapMs: 1700, gapsOverTtl: 1, lost: 1 });
  });
});
