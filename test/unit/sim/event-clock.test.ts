/**
 * The event clock's order: by instant, then by arming order — whether an event was armed one by
 * one (`at`, the heap) or in bulk (`atEach`, the sorted backlog), and whatever was cancelled.
 */
import { describe, expect, it } from 'vitest';
import { EventClock } from '../../../src/app/sim/event-clock.js';

describe('EventClock', () => {
  it('fires bulk-armed and singly armed events by instant, then in arming order', async () => {
    const clock = new EventClock(0);
    const fired: string[] = [];
    const note = (name: string) => () => { fired.push(`${name}@${clock.now()}`); };
    clock.at(20, note('a20'));
    clock.atEach([{ at: 30, fn: note('b30') }, { at: 10, fn: note('b10') }, { at: 20, fn: note('b20') }]);
    clock.at(20, note('c20'));
    clock.at(10, () => {
      note('a10')();
      // armed while running, for an instant the backlog also holds: after it (armed later)
      clock.at(30, note('d30'));
    });
    await clock.run(Number.POSITIVE_INFINITY);
    expect(fired).toEqual(['b10@10', 'a10@10', 'a20@20', 'b20@20', 'c20@20', 'b30@30', 'd30@30']);
    expect(clock.events).toBe(7);
  });

  it('skips cancelled events in the backlog as in the heap; peek and run(until) see only live ones', async () => {
    const clock = new EventClock(0);
    const fired: number[] = [];
    const handles: { at: number }[] = [];
    clock.atEach([5, 15, 25].map((at) => ({ at, fn: () => { fired.push(at); } })));
    handles.push(clock.at(1, () => { fired.push(1); }));
    clock.cancel(handles[0] as { at: number });
    clock.at(4, () => { fired.push(4); });
    expect(clock.peek()).toBe(4);
    await clock.run(16);
    expect(fired).toEqual([4, 5, 15]);
    expect(clock.now()).toBe(16);
    expect(clock.peek()).toBe(25);
    clock.atEach([{ at: 20, fn: () => { fired.push(20); } }]);
    await clock.run(Number.POSITIVE_INFINITY);
    expect(fired).toEqual([4, 5, 15, 20, 25]);
    expect(clock.peek()).toBeUndefined();
  });

  it.each(['microtask', 'macrotask'] as const)('%s: the next event waits for every promise chain the last one started, however long and silent', async (mode) => {
    const clock = new EventClock(0, mode);
    const seen: string[] = [];
    // 200 turns that neither read the clock nor arm a timer: a settle counting quiet turns would move on first.
    const silent = async (depth: number): Promise<void> => { if (depth > 0) await silent(depth - 1); };
    clock.at(10, () => { void silent(200).then(() => { seen.push(`chain done, clock at ${clock.now()}`); }); });
    clock.at(20, () => { seen.push('next event'); });
    await clock.run(Number.POSITIVE_INFINITY);
    expect(seen).toEqual(['chain done, clock at 10', 'next event']);
  });
});
