import { describe, expect, it } from 'vitest';
import { SnapshotPublisher, type StatsSnapshot, type StreamMessage } from '../../../src/app/metrics/index.js';
import { ManualClock, settle } from '../../support/manual-clock.js';

/** A snapshot source whose content the test changes by hand. */
function source(clock: ManualClock) {
  const state = { content: 0, calls: 0 };
  const snapshot = (): Promise<StatsSnapshot> => {
    state.calls += 1;
    return Promise.resolve({ at: new Date(clock.now()).toISOString(), date: String(state.content) } as unknown as StatsSnapshot);
  };
  return { state, snapshot };
}

function setup() {
  const clock = new ManualClock('2026-03-10T02:00:00Z');
  const src = source(clock);
  const pub = new SnapshotPublisher({ snapshot: src.snapshot, clock, timers: clock });
  const got: { at: number; m: StreamMessage }[] = [];
  return { clock, src, pub, got, listen: () => pub.subscribe((m) => got.push({ at: clock.now(), m })) };
}
const snapshots = (got: { at: number; m: StreamMessage }[]) => got.filter((g) => g.m.kind === 'snapshot');

describe('SSE publisher', () => {
  it('does not drop a tick when building one snapshot takes longer than the next', async () => {
    const clock = new ManualClock('2026-03-10T02:00:00Z');
    let content = 0;
    let build = 0;
    // 5 ms, then 3 ms, 5 ms, …: the push times drift by less than a second although ticks do not.
    const slowSnapshot = (): Promise<StatsSnapshot> => {
      build += 1;
      clock.advance(build % 2 === 1 ? 5 : 3);
      return Promise.resolve({ at: new Date(clock.now()).toISOString(), date: String(content) } as unknown as StatsSnapshot);
    };
    const pub = new SnapshotPublisher({ snapshot: slowSnapshot, clock, timers: clock });
    const got: StreamMessage[] = [];
    pub.subscribe((m) => { if (m.kind === 'snapshot') got.push(m); });
    await settle();
    for (let second = 0; second < 10; second += 1) {
      content += 1;
      await clock.tick(1000);
    }
    expect(got).toHaveLength(11);
    pub.stop();
  });


  it('pushes the first snapshot at once, then only when the content changed, at most once a second', async () => {
    const { clock, src, got, listen } = setup();
    listen();
    await settle();
    expect(snapshots(got)).toHaveLength(1);

    // Nothing changed for 10 s (only `at` moves): no push.
    await clock.tick(10_000);
    expect(snapshots(got)).toHaveLength(1);

    // Changes every 100 ms for 3 s: at most one push per second.
    for (let i = 0; i < 30; i += 1) {
      src.state.content += 1;
      await clock.tick(100);
    }
    const pushes = snapshots(got);
    expect(pushes.length).toBeGreaterThanOrEqual(3);
    expect(pushes.length).toBeLessThanOrEqual(4);
    for (let i = 1; i < pushes.length; i += 1) expect((pushes[i]?.at ?? 0) - (pushes[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(1000);
  });

  it('a heartbeat every 15 s', async () => {
    const { clock, got, listen } = setup();
    listen();
    await clock.tick(45_000);
    expect(got.filter((g) => g.m.kind === 'heartbeat').map((g) => g.at - Date.parse('2026-03-10T02:00:00Z'))).toEqual([15_000, 30_000, 45_000]);
  });

  it('nothing stays armed once the last subscriber is gone; no snapshot is computed without subscribers', async () => {
    const { clock, src, pub, listen } = setup();
    const a = listen();
    const b = listen();
    expect(pub.subscriberCount).toBe(2);
    a();
    a();
    expect(pub.active).toBe(true);
    b();
    expect(pub.subscriberCount).toBe(0);
    expect(pub.active).toBe(false);
    expect(clock.armed()).toEqual([]);
    await settle();
    const calls = src.state.calls;
    src.state.content += 1;
    await clock.tick(5000);
    expect(src.state.calls).toBe(calls);
  });

  it('a subscriber that throws is dropped', async () => {
    const { clock, src, pub } = setup();
    pub.subscribe(() => { throw new Error('socket gone'); });
    await settle();
    expect(pub.subscriberCount).toBe(0);
    expect(pub.active).toBe(false);
    src.state.content += 1;
    await clock.tick(2000);
  });
});
