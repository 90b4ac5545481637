import { describe, expect, it } from 'vitest';
import { NodeTimers } from '../../../src/adapters/timers/index.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('NodeTimers', () => {
  it('runs at the instant, never before it as the clock sees it', async () => {
    // A clock 15 ms behind the timers' own: setTimeout fires "early" and must be re-armed.
    const clock = { now: () => Date.now() - 15 };
    const timers = new NodeTimers(clock);
    const at = clock.now() + 10;
    let seen: number | null = null;
    timers.at(at, () => { seen = clock.now(); });
    await sleep(60);
    expect(seen).not.toBeNull();
    expect(seen).toBeGreaterThanOrEqual(at);
  });

  it('a deadline in the past runs at once; a cancelled timer never runs', async () => {
    const timers = new NodeTimers();
    const ran: string[] = [];
    timers.at(Date.now() - 1000, () => ran.push('past'));
    const h = timers.at(Date.now() + 5, () => ran.push('cancelled'));
    timers.cancel(h);
    timers.cancel(h);
    await sleep(30);
    expect(ran).toEqual(['past']);
  });
});
